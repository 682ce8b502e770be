import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, PluginRegistry, type DetectionModel, type ImageBatch } from '@yolo-distill/core';
import { YOLOV3_TINY_YAML } from './model/yolov3-yamls.js';
import { yoloV3Plugin } from './plugin.js';
import { ULTRALYTICS_FIXTURES as fixtures, readFixtureFloats } from '@yolo-distill/core/testing';

const registry = new PluginRegistry([yoloV3Plugin]);
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['student'], registry);

async function build(raw: Record<string, unknown>): Promise<DetectionModel> {
  return registry.build(registry.parse<DetectionModel>('model', { type: 'yolov3.Model', ...raw }, at), container.createChildContainer());
}

let dir: string;
let fixtureCfg: string;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'yd-v3-'));
  // The fixture's model: yolov3-tiny.yaml with width_multiple 0.25.
  fixtureCfg = join(dir, 'yolov3-tiny-w0.25.yaml');
  writeFileSync(fixtureCfg, YOLOV3_TINY_YAML.replace('width_multiple: 1.0', 'width_multiple: 0.25'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('yolov3.Model', () => {
  it('rejects an unknown model with the place and the allowed values', () => {
    expect(() => registry.parse('model', { type: 'yolov3.Model', scale: 'tiny' }, at)).toThrow(
      'pipeline.yaml:1:1: student.scale: expected one of "yolov3", "yolov3-tiny", "yolov3-spp", found string "tiny"',
    );
  });

  it('loads the ultralytics/yolov3 export given as weights (with its cfg) and reproduces its decoded boxes', async () => {
    const model = await build({ scale: 'yolov3-tiny', classes: 80, cfg: fixtureCfg, weights: join(fixtures, 'yolov3-tiny.onnx') });
    expect(model.name).toBe('yolov3-tiny');
    const decoded = tf.tidy(() => model.decode(model.forward(tf.transpose(tf.tensor4d(readFixtureFloats('yolov3-tiny.input.bin'), [1, 3, 160, 160]), [0, 2, 3, 1]) as tf.Tensor4D, { training: false })));
    expect(decoded.shape).toEqual([1, 375, 84]);
    // Reference rows are [cx, cy, w, h, obj, 80 classes]; decode() folds obj into the classes.
    const ref = readFixtureFloats('yolov3-tiny.output.bin');
    const ours = await decoded.data();
    let worst = 0;
    let scale = 0;
    for (let row = 0; row < 375; row++) {
      for (let k = 0; k < 4; k++) {
        worst = Math.max(worst, Math.abs((ours[row * 84 + k] as number) - (ref[row * 85 + k] as number)));
        scale = Math.max(scale, Math.abs(ref[row * 85 + k] as number));
      }
      worst = Math.max(worst, Math.abs((ours[row * 84 + 4] as number) - (ref[row * 85 + 4] as number) * (ref[row * 85 + 5] as number)));
    }
    expect(worst / scale).toBeLessThan(1e-4);
    decoded.dispose();
    model.dispose();
  });

  it('refuses the full-width yolov3-tiny for the width-0.25 export, naming the file', async () => {
    await expect(build({ scale: 'yolov3-tiny', classes: 80, weights: join(fixtures, 'yolov3-tiny.onnx') })).rejects.toThrow(/yolov3-tiny\.onnx/);
  });

  it("trains: ComputeLoss (yolov5's, with v3's two-level balance 4, 1) falls over 20 Adam steps on a fixed batch", async () => {
    const model = await build({ scale: 'yolov3-tiny', classes: 3, seed: 1, cfg: fixtureCfg });
    expect(model.headDescription?.levelBalance).toEqual([4, 1]);
    const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const targets = new Float32Array([0, 0, 0.3, 0.3, 0.2, 0.25, 0, 2, 0.7, 0.6, 0.3, 0.2, 1, 1, 0.5, 0.5, 0.4, 0.4]);
    const batch: ImageBatch = { images: new Float32Array(0), shape: [2, 64, 64, 3], targets, targetCount: 3, sources: ['a', 'b'] };
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = optimizer.minimize(() => model.loss(model.forward(images, { training: true }), batch).total, true, [...model.trainableVariables()]);
      losses.push((await loss!.data())[0] as number);
      loss!.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]).toBeLessThan((losses[0] as number) * 0.5);
    optimizer.dispose();
    images.dispose();
    model.dispose();
  }, 180_000);
});
