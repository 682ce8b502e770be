import { PluginRegistry } from '@yolo-distill/core';
import { builtinPlugins } from '../builtin-plugins.js';
import { demoPlan } from './demo-plan.js';
import { formatDemoTable } from './demo-table.js';

describe('the demo', () => {
  it('prints the closing table: mAP in percent, params in millions, size in MiB, latency with its runtime', () => {
    const table = formatDemoTable([
      { model: 'teacher YOLOv5s', map50: 0.6404, map: 0.494, parameters: 7_040_000, bytes: 28_216_320, path: 't' },
      { model: 'distilled student YOLOv5n', map50: 0.51376, map: 0.3451, parameters: 1_770_000, bytes: 7_130_316, latencyMs: 11.04, runtime: 'tfjs (wasm)', path: 's' },
    ]);
    expect(table).toBe(
      [
        'model                      mAP@0.5  mAP@0.5:0.95  params      size  latency (batch 1)',
        '-------------------------  -------  ------------  ------  --------  -----------------',
        'teacher YOLOv5s               64.0          49.4   7.04M  26.91 MB                  -',
        'distilled student YOLOv5n     51.4          34.5   1.77M   6.80 MB       11.0 ms tfjs',
      ].join('\n'),
    );
  });

  it('--fast trains its own teacher and runs the plain and distilled students on the same seed and data, then each compression stage there is', () => {
    const registry = new PluginRegistry(builtinPlugins());
    const plan = demoPlan('fast', '/tmp/demo', registry);
    expect(plan.pipelines.map((pipeline) => pipeline.name)).toEqual(['demo-teacher', 'demo-plain', 'demo-distill']);
    const [, plain, distill] = plan.pipelines;
    expect(plain?.yaml).toContain('seed: 1\n');
    expect(distill?.yaml).toContain('seed: 1\n');
    const data = (yaml: string | undefined) => /^data: .*$/m.exec(yaml ?? '')?.[0];
    expect(data(distill?.yaml)).toBe(data(plain?.yaml));
    expect(distill?.yaml).toContain(`teacher: { type: yolov5.Model, scale: s, weights: /tmp/demo/runs/demo-teacher/checkpoints/00-train/stage-end }`);
    expect(distill?.yaml).toMatch(/type: export\.Onnx/);
    expect(distill?.yaml.includes('prune.Channels')).toBe(registry.descriptor('prune.Channels') !== undefined);
    expect(distill?.yaml.includes('quantize.Int8')).toBe(registry.descriptor('quantize.Int8') !== undefined);
  });

  it('the full demo reuses the committed benchmark teacher and student (sha256 checked)', () => {
    const plan = demoPlan('full', '/tmp/demo', new PluginRegistry(builtinPlugins()));
    expect(plan.pipelines.map((pipeline) => pipeline.name)).toEqual(['demo-plain', 'demo-distill']);
    expect(plan.teacher.committed?.map50).toBeCloseTo(0.64, 2);
    expect(plan.pipelines[1]?.yaml).toMatch(/student: \{ type: yolov5\.Model, scale: n, weights: .*benchmarks\/assets\/fine128-student-v5n-r2 \}/);
  });
});
