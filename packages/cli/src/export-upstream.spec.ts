import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { container } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, ONNX_SESSIONS, PluginRegistry, type DatasetSource, type DetectionModel } from '@yolo-distill/core';
import { DEFAULT_NMS, exportOnnx } from '@yolo-distill/export';
import { builtinPlugins } from './builtin-plugins.js';

// Our export of the upstream models' weights must compute what PyTorch computed for the upstream
// export: the fixtures' output.bin, in the same layout (decode, anchors, DFL, row order).
const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/ultralytics/', import.meta.url));
const registry = new PluginRegistry(builtinPlugins());
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['student'], registry);
const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 });

const floats = (file: string) => {
  const bytes = readFileSync(join(fixtures, file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

/** The fixtures' one input image as a one-image dataset (NCHW on disk -> HWC). */
function fixtureData(classes: number): DatasetSource {
  const nchw = floats('yolov5n.input.bin');
  const plane = 160 * 160;
  const hwc = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) hwc[p * 3 + c] = nchw[c * plane + p] as number;
  const sample = { image: { data: hwc, width: 160, height: 160 }, labels: { rows: new Float32Array(0), count: 0 }, source: 'yolov5n.input.bin' };
  return { name: 'fixture', root: fixtures, classNames: Array.from({ length: classes }, (_, i) => `c${i}`), imageSize: 160, prepare: async () => undefined, size: (split) => (split === 'val' ? 1 : 0), sample: async () => sample };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('ONNX export of the upstream fixtures\' weights', () => {
  it.each([
    ['yolov5n', 'yolov5.Model', 80, [1, 1575, 85]],
    ['yolov8n', 'yolov8.Model', 4, [1, 8, 525]],
  ] as const)('%s: onnxruntime on our export gives PyTorch\'s output0 (output.bin) to 1e-4 of its largest value', async (name, type, classes, dims) => {
    const dir = mkdtempSync(join(tmpdir(), 'yd-export-upstream-'));
    const run = container.createChildContainer();
    run.registerInstance(ONNX_SESSIONS, sessions);
    const model = await registry.build(registry.parse<DetectionModel>('model', { type, scale: 'n', classes, weights: join(fixtures, `${name}.onnx`) }, at), run);
    try {
      const file = join(dir, `${name}.onnx`);
      const result = await exportOnnx(model, { out: file, opset: 13, dynamic: false, output: 'decoded', nms: DEFAULT_NMS, parityImages: 1, provenance: {} }, { data: fixtureData(classes), sessions });
      expect(result.report.passed).toBe(true);
      const session = await sessions.create(file);
      const output = (await session.run({ images: { data: floats('yolov5n.input.bin'), dims: [1, 3, 160, 160] } }))['output0'];
      await session.release();
      expect(output?.dims).toEqual(dims);
      const reference = floats(`${name}.output.bin`);
      let diff = 0;
      let scale = 0;
      reference.forEach((value, i) => {
        diff = Math.max(diff, Math.abs((output?.data[i] as number) - value));
        scale = Math.max(scale, Math.abs(value));
      });
      expect(diff / scale).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
