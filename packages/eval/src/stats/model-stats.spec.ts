import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { parseModelYaml, ultralyticsModules, yolov5Modules, YoloModel } from '@yolo-distill/yolo';
import { YOLOV5_YAML, YOLOV8_YAML } from '../test-support/ultralytics-yamls.js';
import { profileConvolutions } from './conv-flops.js';
import { modelStats } from './model-stats.js';

const yolov5 = (scale: string) => new YoloModel(parseModelYaml(YOLOV5_YAML, 'yolov5.yaml', { modules: yolov5Modules(), scale, numClasses: 80 }), { name: `yolov5${scale}` });
const yolov8 = (scale: string) => new YoloModel(parseModelYaml(YOLOV8_YAML, 'yolov8.yaml', { modules: ultralyticsModules(), scale, numClasses: 80 }), { name: `yolov8${scale}` });
const yolov5n = () => yolov5('n');
const yolov8n = () => yolov8('n');
/** GFLOPs as Ultralytics prints them: one decimal. */
const printed = (gflops: number) => Math.round(gflops * 10) / 10;

describe('modelStats', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('matches the numbers Ultralytics prints for YOLOv5n at 640 (1872157 / 1867405 fused parameters, 4.5 GFLOPs)', async () => {
    const model = yolov5n();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect(stats.parameters).toBe(1872157);
    expect(stats.fusedParameters).toBe(1867405);
    expect(printed(stats.gflops)).toBe(4.5); // 4.468
    // Row 0, Conv(3 -> 16, k6, s2, p2): a 320 x 320 x 16 map, each value 3 x 6 x 6 MACs.
    expect(stats.layers[0]).toMatchObject({ name: 'model.0', module: 'Conv', convs: 1, parameters: 16 * 3 * 36 + 2 * 16, flops: 2 * 320 * 320 * 16 * 3 * 36, outputShape: [320, 320, 16] });
    // The head: one 1x1 conv per level, 3 anchors x 85 outputs, on 80x80 (64 ch), 40x40 (128), 20x20 (256).
    const head = stats.layers[24];
    expect(head).toMatchObject({ module: 'Detect', convs: 3, flops: 2 * 255 * (80 * 80 * 64 + 40 * 40 * 128 + 20 * 20 * 256) });
    expect(head?.outputShape).toBeUndefined();
    expect(stats.layers.reduce((sum, l) => sum + l.parameters, 0)).toBe(stats.parameters);
    expect(stats.layers.reduce((sum, l) => sum + l.flops, 0)).toBe(stats.flops);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('matches the numbers Ultralytics prints for YOLOv8n at 640 (3157200 / 3151904 fused parameters, 8.7 GFLOPs)', async () => {
    const model = yolov8n();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect(stats.parameters).toBe(3157200);
    expect(stats.fusedParameters).toBe(3151904);
    expect(printed(stats.gflops)).toBe(8.7); // 8.744
    // Row 0: Conv(3 -> 16, k3, s2).
    expect(stats.layers[0]?.flops).toBe(2 * 320 * 320 * 16 * 27);
    // The DFL (16 bins -> 1, 4 sides, 8400 anchors) is in the head's count.
    const head = stats.layers[22];
    expect(head?.convs).toBe(18); // per level: cv2 = Conv, Conv, Conv2d and cv3 the same
    expect(head?.module).toBe('Detect');
    expect(stats.layers.reduce((sum, l) => sum + l.flops, 0)).toBe(stats.flops);
  });

  it.each([
    ['yolov5s', () => yolov5('s'), 7235389, 7225885, 16.4],
    ['yolov8s', () => yolov8('s'), 11166560, 11156544, 28.6],
  ])('matches the fused summary Ultralytics prints for %s at 640', async (_name, build, parameters, fused, gflops) => {
    const model = build();
    const stats = await modelStats(model, { imageSize: 640 });
    model.dispose();
    expect([stats.parameters, stats.fusedParameters, printed(stats.gflops)]).toEqual([parameters, fused, gflops]);
  });

  it('scales a stride-sized forward pass exactly: same convs as profiling at the size itself', async () => {
    const model = yolov8n();
    const stats = await modelStats(model, { imageSize: [64, 96] });
    const x = tf.zeros([1, 64, 96, 3]) as tf.Tensor4D;
    const direct = await profileConvolutions(() => model.forward(x, { training: false }));
    x.dispose();
    model.dispose();
    const dfl = 2 * 4 * 16 * (8 * 12 + 4 * 6 + 2 * 3);
    expect(stats.flops).toBe(direct.flops + dfl);
    expect(stats.layers[4]?.outputShape).toEqual([8, 12, 64]);
  });

  it('rejects sizes that are not multiples of the largest stride', async () => {
    const model = yolov5n();
    await expect(modelStats(model, { imageSize: 100 })).rejects.toThrow('yolov5n: image size 100x100 must be positive multiples of the largest stride 32');
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const model = yolov5n();
    const before = tf.memory().numTensors;
    await modelStats(model, { imageSize: 320 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('profileConvolutions', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('counts 2 x output elements x kh x kw x cin per conv, cin 1 for depthwise', async () => {
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.zeros([3, 3, 3, 4]) as tf.Tensor4D;
    const dw = tf.zeros([3, 3, 3, 2]) as tf.Tensor4D;
    const { convs, flops } = await profileConvolutions(() => [tf.conv2d(x, w, 2, 'same'), tf.depthwiseConv2d(x, dw, 1, 'same'), tf.relu(x)]);
    expect(convs.map((c) => [c.kernel, c.output, c.flops])).toEqual([
      ['Conv2D', [1, 4, 4, 4], 2 * 4 * 4 * 4 * 9 * 3],
      ['DepthwiseConv2dNative', [1, 8, 8, 6], 2 * 8 * 8 * 6 * 9],
    ]);
    expect(flops).toBe(2 * 4 * 4 * 4 * 27 + 2 * 8 * 8 * 6 * 9);
    tf.dispose([x, w, dw]);
  });
});
