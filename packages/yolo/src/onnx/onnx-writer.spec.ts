import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { parseOnnxModel, readOnnxModel } from './onnx-model.js';
import { OnnxModelBuilder, minimumIrVersion, writeOnnxModel } from './onnx-writer.js';

// x (1x1x3x3), two 2x2 filters, stride 1, no padding -> 1x2x2x2.
//   x = [ 1 -2  3 ]   filter 0 = [1 0; 0 -1], bias 0.5: x[i][j] - x[i+1][j+1] + 0.5
//       [ 0  4 -1 ]     -> [1-4, -2+1; 0-1, 4+3] + 0.5 = [-2.5 -0.5; -0.5 7.5]
//       [ 2  1 -3 ]   filter 1 = all 0.5, bias -1: half the 2x2 sum - 1
//                       -> [0.5*3, 0.5*4; 0.5*7, 0.5*1] - 1 = [0.5 1; 2.5 -0.5]
const X = Float32Array.from([1, -2, 3, 0, 4, -1, 2, 1, -3]);
const W = Float32Array.from([1, 0, 0, -1, 0.5, 0.5, 0.5, 0.5]);
const B = Float32Array.from([0.5, -1]);
const CONV = [-2.5, -0.5, -0.5, 7.5, 0.5, 1, 2.5, -0.5];
const RELU = CONV.map((value) => Math.max(0, value));
// LeakyRelu(alpha 0.1) of the same
const LEAKY = CONV.map((value) => (value > 0 ? value : 0.1 * value));

function convRelu(opset = 13): OnnxModelBuilder {
  return new OnnxModelBuilder({ opset, producerVersion: '0.1.0' })
    .input('x', ['n', 1, 3, 3])
    .initializer('w', W, [2, 1, 2, 2])
    .initializer('b', B, [2])
    .node('Conv', ['x', 'w', 'b'], ['conv'], { kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] }, { name: '/conv/Conv' })
    .node('Relu', ['conv'], ['y'])
    .node('LeakyRelu', ['conv'], ['leaky'], { alpha: { float: 0.1 } })
    .output('y', ['n', 2, 2, 2])
    .output('conv', ['n', 2, 2, 2])
    .output('leaky', null)
    .metadata({ stride: '32', names: "{0: 'a', 1: 'b'}" });
}

describe('OnnxModelBuilder', () => {
  const ort = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled' });

  for (const opset of [13, 17]) {
    it(`opset ${opset}: Conv + Relu run in onnxruntime and give the hand-computed values`, async () => {
      const session = await ort.create(convRelu(opset).encode());
      try {
        const out = await session.run({ x: { data: X, dims: [1, 1, 3, 3] } });
        expect(out['y']?.dims).toEqual([1, 2, 2, 2]);
        expect([...(out['y']?.data ?? [])]).toEqual(RELU);
        expect([...(out['conv']?.data ?? [])]).toEqual(CONV);
        const leaky = [...(out['leaky']?.data ?? [])];
        LEAKY.forEach((value, i) => expect(leaky[i]).toBeCloseTo(value, 6));
      } finally {
        await session.release();
      }
    });
  }

  it('encodes header, metadata, initializers and attributes that the reader reads back', () => {
    const model = parseOnnxModel(convRelu(17).encode(), 'built.onnx');
    expect(model.irVersion).toBe(8);
    expect(model.opset).toBe(17);
    expect(model.producer).toBe('yolo-distill 0.1.0');
    expect(model.metadata).toEqual({ stride: '32', names: "{0: 'a', 1: 'b'}" });
    expect(model.inputs).toEqual([{ name: 'x', elemType: 'float32', dims: ['n', 1, 3, 3] }]);
    expect(model.outputs.map((output) => output.dims)).toEqual([['n', 2, 2, 2], ['n', 2, 2, 2], null]);
    expect(model.requireInitializer('w')).toEqual({ dims: [2, 1, 2, 2], data: W });
    expect(model.nodes.map((node) => node.name)).toEqual(['/conv/Conv', 'Relu_1', 'LeakyRelu_2']);
    expect(model.nodes[0]?.attributes).toEqual({ kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] });
    expect(model.nodes[2]?.attributes['alpha']).toBeCloseTo(0.1, 7);
  });

  it('writes int64 shape constants and tensor attributes', async () => {
    const bytes = new OnnxModelBuilder({ opset: 13 })
      .input('x', [1, 2, 2, 2])
      .initializer('shape', [1, -1], [2])
      .node('Reshape', ['x', 'shape'], ['flat'])
      .node('Constant', [], ['scale'], { value: { tensor: { dims: [1], data: Float32Array.from([3]) } } })
      .node('Mul', ['flat', 'scale'], ['y'])
      .output('y', [1, 8])
      .encode();
    const model = parseOnnxModel(bytes, 'reshape.onnx');
    expect(model.intInitializers().get('shape')).toEqual({ dims: [2], data: [1, -1] });
    expect(model.initializer('scale')).toEqual({ dims: [1], data: Float32Array.from([3]) });
    const session = await ort.create(bytes);
    try {
      const out = await session.run({ x: { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dims: [1, 2, 2, 2] } });
      expect(out['y']?.dims).toEqual([1, 8]);
      expect([...(out['y']?.data ?? [])]).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
    } finally {
      await session.release();
    }
  });

  it('rejects graphs that onnxruntime would reject, saying why', () => {
    const base = (): OnnxModelBuilder => new OnnxModelBuilder({ opset: 13 }).input('x', [1]);
    expect(() => base().node('Relu', ['z'], ['y']).output('y', [1]).build()).toThrow(
      "OnnxModelBuilder: node 'Relu_0' (Relu) reads 'z', which is not a graph input, an initializer or an output of an earlier node",
    );
    expect(() => base().node('Relu', ['x'], ['y']).node('Neg', ['x'], ['y']).output('y', [1]).build()).toThrow(
      "OnnxModelBuilder: tensor 'y' is defined twice (node 'Relu_0' and node 'Neg_1')",
    );
    expect(() => base().node('Relu', ['x'], ['y']).output('q', [1]).build()).toThrow("OnnxModelBuilder: graph output 'q' is not produced");
    expect(() => base().node('LeakyRelu', ['x'], ['y'], { alpha: 0.1 })).toThrow(
      "OnnxModelBuilder: node 'LeakyRelu_0' (LeakyRelu) attribute 'alpha': 0.1 is not an integer (write { float: 0.1 } for a FLOAT attribute)",
    );
    expect(() => base().initializer('w', new Float32Array(3), [2, 2])).toThrow("OnnxModelBuilder: initializer 'w' has 3 values but dims [2, 2] need 4");
    expect(() => new OnnxModelBuilder({ opset: 0 })).toThrow('opset must be a positive integer');
  });

  it('picks the lowest IR version for an opset', () => {
    expect([9, 11, 12, 13, 14, 15, 17, 18, 19, 21].map(minimumIrVersion)).toEqual([4, 6, 7, 7, 7, 8, 8, 8, 9, 10]);
  });
});

describe('writeOnnxModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onnx-writer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a model that reads back, replacing an existing file, leaving no temporary files', async () => {
    const path = join(dir, 'model.onnx');
    await writeFile(path, 'old contents');
    await writeOnnxModel(path, convRelu().build());
    const model = await readOnnxModel(path);
    expect(model.requireInitializer('b').data).toEqual(B);
    expect(await readdir(dir)).toEqual(['model.onnx']);
    const bytes = convRelu(17).encode();
    await writeOnnxModel(path, bytes);
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
  });

  it('names the path when it cannot write, and leaves nothing behind', async () => {
    const missing = join(dir, 'no-such-folder', 'model.onnx');
    await expect(writeOnnxModel(missing, convRelu().encode())).rejects.toThrow(`${missing}: cannot write the ONNX model (its folder does not exist)`);
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    await expect(writeOnnxModel(folder, convRelu().encode())).rejects.toThrow(`${folder}: cannot write the ONNX model (`);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
  });
});
