import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { importOnnxWeights } from '@yolo-distill/yolo';
import { buildYoloV5, YOLOV5_SCALES, yoloV5Spec } from './build-yolo-v5.js';
import { YOLOV5_YAML } from './yolov5-yaml.js';
import { ultralyticsFixture } from '@yolo-distill/core/testing';


describe('yolov5.yaml', () => {
  it('is embedded as it is on disk (builds carry the .ts constant, not the .yaml)', () => {
    expect(YOLOV5_YAML).toBe(readFileSync(new URL('./yolov5.yaml', import.meta.url), 'utf8'));
  });

  it('gives each scale the depth/width of the official yolov5{n,s,m,l,x}.yaml', () => {
    const widths = Object.fromEntries(YOLOV5_SCALES.map((scale) => [scale, yoloV5Spec({ scale, numClasses: 80 }).layers.map((l) => l.outputChannels)]));
    expect(widths['n']!.slice(0, 10)).toEqual([16, 32, 32, 64, 64, 128, 128, 256, 256, 256]);
    expect(widths['s']!.slice(0, 10)).toEqual([32, 64, 64, 128, 128, 256, 256, 512, 512, 512]);
    expect(widths['m']![9]).toBe(768);
    expect(widths['l']![9]).toBe(1024);
    expect(widths['x']![9]).toBe(1280);
    const repeats = (scale: string) => yoloV5Spec({ scale, numClasses: 80 }).layers.filter((l) => l.module.name === 'C3').map((l) => l.repeats);
    expect(repeats('n')).toEqual([1, 2, 3, 1, 1, 1, 1, 1]);
    expect(repeats('m')).toEqual([2, 4, 6, 2, 2, 2, 2, 2]);
    expect(repeats('l')).toEqual([3, 6, 9, 3, 3, 3, 3, 3]);
    expect(repeats('x')).toEqual([4, 8, 12, 4, 4, 4, 4, 4]);
    const n = yoloV5Spec({ scale: 'n', numClasses: 80 });
    expect(n.layers).toHaveLength(25);
    expect(n.layers[24]).toMatchObject({ from: [17, 20, 23], inputChannels: [64, 128, 256], inputStrides: [8, 16, 32] });
  });

  it('refuses an unknown scale, naming the file', () => {
    expect(() => buildYoloV5({ scale: 'huge', numClasses: 80 })).toThrow("@yolo-distill/yolo-v5/yolov5.yaml:6:1: scales: unknown scale 'huge'; the YAML defines n, s, m, l, x");
  });
});

describe('buildYoloV5', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    ['n', 1_872_157],
    ['s', 7_235_389],
  ])('yolov5%s has the parameter count of the upstream model summary (nc 80)', (scale, count) => {
    const model = buildYoloV5({ scale, numClasses: 80 });
    expect(model.name).toBe(`yolov5${scale}`);
    expect(model.parameterCount()).toBe(count);
    model.dispose();
  });

  it('refuses a YOLOv8 export, saying it is another architecture', async () => {
    const model = buildYoloV5({ scale: 'n', numClasses: 80 });
    const file = ultralyticsFixture('yolov8n.onnx');
    await expect(importOnnxWeights(model, file)).rejects.toThrow(`${file} does not hold the weights of yolov5n (anchor-based head, 80 classes)`);
    await expect(importOnnxWeights(model, file)).rejects.toThrow("The file describes itself as 'Ultralytics YOLOv8n model'. Is it an export of another YOLO version, scale or class count?");
    model.dispose();
  });

  it('refuses a yolov5n export for another scale or class count, naming the layers', async () => {
    const file = ultralyticsFixture('yolov5n.onnx');
    const small = buildYoloV5({ scale: 's', numClasses: 80 });
    await expect(importOnnxWeights(small, file)).rejects.toThrow(
      `${file} does not hold the weights of yolov5s (anchor-based head, 80 classes): 117 shapes differ (model.0.conv.weight: the model expects [32, 3, 6, 6], the file has [16, 3, 6, 6]; model.0.conv.bias: the model expects [32], the file has [16]; ...)`,
    );
    small.dispose();
    const fourClasses = buildYoloV5({ scale: 'n', numClasses: 4 });
    await expect(importOnnxWeights(fourClasses, file)).rejects.toThrow(
      `${file} does not hold the weights of yolov5n (anchor-based head, 4 classes): 6 shapes differ (model.24.m.0.weight: the model expects [27, 64, 1, 1], the file has [255, 64, 1, 1]`,
    );
    fourClasses.dispose();
  });

  it('round-trips imported weights through saveState/loadState with identical outputs', async () => {
    const imported = buildYoloV5({ scale: 'n', numClasses: 80 });
    await importOnnxWeights(imported, ultralyticsFixture('yolov5n.nofuse.onnx'));
    const fresh = buildYoloV5({ scale: 'n', numClasses: 80, seed: 9 });
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
