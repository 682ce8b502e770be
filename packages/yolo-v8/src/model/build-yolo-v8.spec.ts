import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { importOnnxWeights } from '@yolo-distill/yolo';
import { buildYoloV8, YOLOV8_SCALES, yoloV8Spec } from './build-yolo-v8.js';
import { YOLOV8_YAML } from './yolov8-yaml.js';
import { ultralyticsFixture } from '@yolo-distill/core/testing';


describe('yolov8.yaml', () => {
  it('is embedded as it is on disk (builds carry the .ts constant, not the .yaml)', () => {
    expect(YOLOV8_YAML).toBe(readFileSync(new URL('./yolov8.yaml', import.meta.url), 'utf8'));
  });

  it('gives each scale its [depth, width, max_channels]', () => {
    const spec = (scale: string) => yoloV8Spec({ scale, numClasses: 80 });
    const p5 = (scale: string) => spec(scale).layers[9]!.outputChannels;
    expect(YOLOV8_SCALES.map(p5)).toEqual([256, 512, 576, 512, 640]);
    const repeats = (scale: string) => spec(scale).layers.filter((l) => l.module.name === 'C2f').map((l) => l.repeats);
    expect(repeats('n')).toEqual([1, 2, 2, 1, 1, 1, 1, 1]);
    expect(repeats('m')).toEqual([2, 4, 4, 2, 2, 2, 2, 2]);
    expect(repeats('x')).toEqual([3, 6, 6, 3, 3, 3, 3, 3]);
    const n = spec('n');
    expect(n.layers).toHaveLength(23);
    expect(n.layers[22]).toMatchObject({ from: [15, 18, 21], inputChannels: [64, 128, 256], inputStrides: [8, 16, 32] });
  });
});

describe('buildYoloV8', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    ['n', 3_157_200],
    ['s', 11_166_560],
  ])('yolov8%s has the parameter count of the Ultralytics model summary (nc 80)', (scale, count) => {
    const model = buildYoloV8({ scale, numClasses: 80 });
    expect(model.name).toBe(`yolov8${scale}`);
    expect(model.parameterCount()).toBe(count);
    model.dispose();
  });

  it('refuses a YOLOv5 export, saying it is another architecture', async () => {
    const model = buildYoloV8({ scale: 'n', numClasses: 4 });
    const file = ultralyticsFixture('yolov5n.onnx');
    await expect(importOnnxWeights(model, file)).rejects.toThrow(`${file} does not hold the weights of yolov8n (anchor-free head, 4 classes)`);
    model.dispose();
  });

  it('round-trips imported weights through saveState/loadState with identical outputs', async () => {
    const imported = buildYoloV8({ scale: 'n', numClasses: 4 });
    await importOnnxWeights(imported, ultralyticsFixture('yolov8n.onnx'));
    const fresh = buildYoloV8({ scale: 'n', numClasses: 4, seed: 9 });
    await fresh.loadState(await imported.saveState());
    const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const run = async (model: typeof fresh) => {
      const out = tf.tidy(() => model.decode(model.forward(x, { training: false })));
      const data = Array.from(await out.data());
      out.dispose();
      return data;
    };
    expect(await run(fresh)).toEqual(await run(imported));
    tf.dispose(x);
    imported.dispose();
    fresh.dispose();
  });
});
