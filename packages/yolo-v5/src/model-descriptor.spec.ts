import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, PIPELINE_DATA, PluginRegistry, type DatasetSource, type DetectionModel, type ImageBatch } from '@yolo-distill/core';
import { YOLOV5_YAML } from './model/yolov5-yaml.js';
import { yoloV5Plugin } from './plugin.js';
import { ULTRALYTICS_FIXTURES as fixtures, readFixtureFloats } from '@yolo-distill/core/testing';

const registry = new PluginRegistry([yoloV5Plugin]);
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['student'], registry);
const dataWith = (classes: number): DatasetSource => ({
  name: 'fake',
  root: '/fake',
  classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
  imageSize: 64,
  prepare: async () => undefined,
  size: () => 0,
  sample: async () => {
    throw new Error('no samples');
  },
});

async function build(raw: Record<string, unknown>, data?: DatasetSource): Promise<DetectionModel> {
  const runContainer = container.createChildContainer();
  if (data) runContainer.registerInstance(PIPELINE_DATA, data);
  return registry.build(registry.parse<DetectionModel>('model', { type: 'yolov5.Model', ...raw }, at), runContainer);
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('yolov5.Model', () => {
  it('rejects an unknown scale with the place and the allowed values', () => {
    expect(() => registry.parse('model', { type: 'yolov5.Model', scale: 'q' }, at)).toThrow(
      'pipeline.yaml:1:1: student.scale: expected one of "n", "s", "m", "l", "x", found string "q"',
    );
  });

  it('takes the class count from the pipeline data, or says where to set it', async () => {
    const model = await build({ scale: 'n' }, dataWith(6));
    expect(model.name).toBe('yolov5n');
    expect(model.numClasses).toBe(6);
    model.dispose();
    await expect(build({ scale: 'n' })).rejects.toThrow("'classes' is not set and the pipeline has no data to take the class count from");
    await expect(build({ scale: 'n', classes: 3 }, dataWith(6))).rejects.toThrow("'classes' is 3 but the dataset fake has 6 classes");
  });

  it('loads an Ultralytics ONNX export given as weights and reproduces its decoded output', async () => {
    const model = await build({ scale: 'n', classes: 80, weights: join(fixtures, 'yolov5n.onnx') });
    const nchw = tf.tensor4d(readFixtureFloats('yolov5n.input.bin'), [1, 3, 160, 160]);
    const decoded = tf.tidy(() => model.decode(model.forward(tf.transpose(nchw, [0, 2, 3, 1]) as tf.Tensor4D, { training: false })));
    // Ultralytics rows are [cx, cy, w, h, obj, 80 classes]; ours fold obj into the classes.
    const ref = readFixtureFloats('yolov5n.output.bin');
    const ours = await decoded.data();
    let worst = 0;
    let scale = 0;
    for (let row = 0; row < 1575; row++) {
      for (let k = 0; k < 4; k++) {
        worst = Math.max(worst, Math.abs((ours[row * 84 + k] as number) - (ref[row * 85 + k] as number)));
        scale = Math.max(scale, Math.abs(ref[row * 85 + k] as number));
      }
      const obj = ref[row * 85 + 4] as number;
      worst = Math.max(worst, Math.abs((ours[row * 84 + 4] as number) - obj * (ref[row * 85 + 5] as number)));
    }
    expect(worst / scale).toBeLessThan(1e-4);
    tf.dispose([nchw, decoded]);
    model.dispose();
  });

  it('builds from a custom model YAML (cfg), and names its file and row when a module is unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yd-cfg-'));
    try {
      const good = join(dir, 'tiny.yaml');
      writeFileSync(good, YOLOV5_YAML);
      const model = await build({ scale: 'n', classes: 2, cfg: good });
      expect(model.numClasses).toBe(2);
      model.dispose();
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, YOLOV5_YAML.replace('[-1, 3, C3, [128]]', '[-1, 3, C4, [128]]'));
      await expect(build({ scale: 'n', classes: 2, cfg: bad })).rejects.toThrow(/bad\.yaml:\d+:\d+: backbone\[2\].*unknown module 'C4'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a YOLOv8 export, naming the file', async () => {
    await expect(build({ scale: 'n', classes: 4, weights: join(fixtures, 'yolov8n.onnx') })).rejects.toThrow(/yolov8n\.onnx/);
  });

  it('trains: its native loss falls over 30 Adam steps on a fixed batch', async () => {
    const model = await build({ scale: 'n', classes: 3, seed: 1 });
    const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const targets = new Float32Array([0, 0, 0.3, 0.3, 0.2, 0.25, 0, 2, 0.7, 0.6, 0.3, 0.2, 1, 1, 0.5, 0.5, 0.4, 0.4]);
    const batch: ImageBatch = { images: new Float32Array(0), shape: [2, 64, 64, 3], targets, targetCount: 3, sources: ['a', 'b'] };
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const loss = optimizer.minimize(() => model.loss(model.forward(images, { training: true }), batch).total, true, [...model.trainableVariables()]);
      losses.push((await loss!.data())[0] as number);
      loss!.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[29]).toBeLessThan((losses[0] as number) * 0.5);
    optimizer.dispose();
    images.dispose();
    model.dispose();
  });
});
