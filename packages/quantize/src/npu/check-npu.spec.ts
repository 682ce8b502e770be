import { OnnxModelBuilder, parseOnnxModel } from '@yolo-distill/yolo';
import { checkNpu, formatNpuReport } from './check-npu.js';
import { npuProfile } from './npu-profiles.js';

/** A YOLO-shaped stem: conv 3 -> w0 (stride 2), conv w0 -> w1, concat, conv -> w2, a 5x5 max pool, a Pow of the decode. */
function model(widths: readonly [number, number, number], options: { pow?: boolean } = {}) {
  const [w0, w1, w2] = widths;
  const b = new OnnxModelBuilder({ opset: 13 }).input('images', [1, 3, 32, 32]);
  const kernel = (name: string, cout: number, cin: number, k: number) => b.initializer(name, new Float32Array(cout * cin * k * k).fill(0.01), [cout, cin, k, k]);
  kernel('model.0.conv.weight', w0, 3, 3);
  kernel('model.1.conv.weight', w1, w0, 3);
  kernel('model.3.conv.weight', w2, w0 + w1, 1);
  b.node('Conv', ['images', 'model.0.conv.weight'], ['x0'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, { name: '/model.0/conv/Conv' })
    .node('Conv', ['x0', 'model.1.conv.weight'], ['x1'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: '/model.1/conv/Conv' })
    .node('Concat', ['x0', 'x1'], ['x2'], { axis: 1 }, { name: '/model.2/Concat' })
    .node('Conv', ['x2', 'model.3.conv.weight'], ['x3'], { kernel_shape: [1, 1] }, { name: '/model.3/conv/Conv' })
    .node('MaxPool', ['x3'], ['x4'], { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }, { name: '/model.4/m/MaxPool' });
  if (options.pow) b.initializer('two', Float32Array.of(2), []).node('Pow', ['x4', 'two'], ['y'], {}, { name: '/model.24/Pow' }).output('y', null);
  else b.output('x4', null);
  return parseOnnxModel(b.encode(), 'stem.onnx');
}

describe('checkNpu', () => {
  it('flags a misaligned layer where it is and where it is read, with the fix', () => {
    const report = checkNpu(model([16, 12, 16]), npuProfile('ethos-u55-256'));
    expect(report.violations.map((v) => [v.node, v.rule, v.problem])).toEqual([
      ['/model.1/conv/Conv', 'alignment', '12 output channels, not a multiple of 8'],
      ['/model.3/conv/Conv', 'alignment', '28 input channels, not a multiple of 8'],
    ]);
    expect(report.violations[0]?.fix).toContain('prune with roundTo: 8 (or widen to 16)');
    expect(formatNpuReport(report)).toContain('ethos-u55-256: 2 violation(s) in 2 layer(s)');
  });

  it('passes the same model with aligned widths (what prune roundTo: 8 gives), the image input exempt', () => {
    const report = checkNpu(model([16, 8, 16]), npuProfile('ethos-u55-256'));
    expect(report.violations).toEqual([]);
    expect(formatNpuReport(report)).toBe('ethos-u55-256: all 3 conv(s) and every op fit\n');
  });

  it('reports pool size, decode ops and alignment 16 per profile', () => {
    const tinpu = checkNpu(model([16, 8, 16], { pow: true }), npuProfile('tinpu'));
    expect(tinpu.violations.map((v) => [v.node, v.rule])).toEqual([
      ['/model.4/m/MaxPool', 'pool'],
      ['/model.24/Pow', 'op'],
    ]);
    expect(tinpu.violations[1]?.fix).toContain('export with --raw');
    expect(checkNpu(model([16, 8, 16]), npuProfile('ethos-u55-128')).violations.map((v) => v.node)).toEqual(['/model.1/conv/Conv', '/model.3/conv/Conv']);
    expect(() => npuProfile('hexagon')).toThrow("unknown NPU profile 'hexagon' (known: tinpu, ethos-u55-256, ethos-u55-128)");
  });
});
