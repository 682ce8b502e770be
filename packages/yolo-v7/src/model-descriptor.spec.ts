import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, PluginRegistry, type DetectionModel, type ImageBatch } from '@yolo-distill/core';
import { YOLOV7_TINY_YAML } from './model/yolov7-yamls.js';
import { yoloV7Plugin } from './plugin.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

const registry = new PluginRegistry([yoloV7Plugin]);
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['student'], registry);

async function build(raw: Record<string, unknown>): Promise<DetectionModel> {
  return registry.build(registry.parse<DetectionModel>('model', { type: 'yolov7.Model', ...raw }, at), container.createChildContainer());
}

let dir: string;
let fixtureCfg: string;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'yd-v7-'));
  // The fixture's model: yolov7-tiny.yaml with width_multiple 0.25.
  fixtureCfg = join(dir, 'yolov7-tiny-w0.25.yaml');
  writeFileSync(fixtureCfg, YOLOV7_TINY_YAML.replace('width_multiple: 1.0', 'width_multiple: 0.25'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('yolov7.Model', () => {
  it('rejects an unknown model with the place and the allowed values', () => {
    expect(() => registry.parse('model', { type: 'yolov7.Model', scale: 'x' }, at)).toThrow('pipeline.yaml:1:1: student.scale: expected one of "yolov7", "yolov7-tiny", found string "x"');
  });

  it('loads the WongKinYiu/yolov7 export given as weights (with its cfg): the weights source and the anchors are its', async () => {
    const file = join(fixtures, 'yolov7-tiny.onnx');
    const model = await build({ scale: 'yolov7-tiny', classes: 80, cfg: fixtureCfg, weights: file });
    expect(model.name).toBe('yolov7-tiny');
    expect(model.weightsSource).toBe(file);
    expect(model.headDescription?.anchors?.[2]).toEqual([
      [116, 90],
      [156, 198],
      [373, 326],
    ]);
    model.dispose();
  });

  it('refuses the full-width yolov7-tiny for the width-0.25 export, naming the file', async () => {
    await expect(build({ scale: 'yolov7-tiny', classes: 80, weights: join(fixtures, 'yolov7-tiny.onnx') })).rejects.toThrow(/yolov7-tiny\.onnx/);
  });

  it('trains: ComputeLossOTA falls over 12 Adam steps on a fixed batch (four-step means: the assignment moves between steps)', async () => {
    const model = await build({ scale: 'yolov7-tiny', classes: 3, seed: 1, cfg: fixtureCfg });
    expect(model.headDescription?.levelBalance).toEqual([4, 1, 0.4]);
    const images = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const targets = new Float32Array([0, 0, 0.3, 0.3, 0.2, 0.25, 0, 2, 0.7, 0.6, 0.3, 0.2, 1, 1, 0.5, 0.5, 0.4, 0.4]);
    const batch: ImageBatch = { images: new Float32Array(0), shape: [2, 64, 64, 3], targets, targetCount: 3, sources: ['a', 'b'] };
    const optimizer = tf.train.adam(0.003);
    const losses: number[] = [];
    for (let step = 0; step < 12; step++) {
      const loss = optimizer.minimize(() => model.loss(model.forward(images, { training: true }), batch).total, true, [...model.trainableVariables()]);
      losses.push((await loss!.data())[0] as number);
      loss!.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    console.info(`yolov7-tiny ComputeLossOTA over 12 steps: ${losses.map((v) => v.toFixed(4)).join(' ')}`);
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean(losses.slice(8))).toBeLessThan(mean(losses.slice(0, 4)) * 0.8);
    optimizer.dispose();
    images.dispose();
    model.dispose();
  }, 180_000);
});
