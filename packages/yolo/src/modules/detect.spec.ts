import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { detectModule, orderAnchors } from './detect.js';

const ANCHORS = [
  [10, 13, 16, 30, 33, 23],
  [30, 61, 62, 45, 59, 119],
  [116, 90, 156, 198, 373, 326],
];

describe('anchor-based Detect (YOLOv5)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has one 1x1 conv with bias per level, model.24.m.i, to na * (5 + nc) channels', () => {
    const { shapes, instance, params } = buildModule(detectModule, [80, ANCHORS], [64, 128, 256], { prefix: 'model.24', strides: [8, 16, 32] });
    expect(shapes).toEqual({
      'model.24.m.0.weight': [255, 64, 1, 1],
      'model.24.m.0.bias': [255],
      'model.24.m.1.weight': [255, 128, 1, 1],
      'model.24.m.1.bias': [255],
      'model.24.m.2.weight': [255, 256, 1, 1],
      'model.24.m.2.bias': [255],
    });
    expect(instance.kind === 'head' && instance.spec).toEqual({
      kind: 'anchor-based',
      numClasses: 80,
      strides: [8, 16, 32],
      anchors: ANCHORS.map((level) => [0, 1, 2].map((a) => [level[2 * a], level[2 * a + 1]])),
    });
    params.dispose();
  });

  it("initialises biases as yolov5's _initialize_biases: obj += log(8 / (640 / s)^2), cls += log(0.6 / (nc - 0.99))", async () => {
    const { params } = buildModule(detectModule, [2, [[10, 13]]], [8], { strides: [32] });
    const bias = await params.get('model.4.m.0.bias')!.variable.data();
    const bound = 1 / Math.sqrt(8);
    expect(Math.abs((bias[0] as number) - 0)).toBeLessThanOrEqual(bound);
    expect(bias[4]).toBeGreaterThan(Math.log(8 / 400) - bound - 1e-6);
    expect(bias[4]).toBeLessThan(Math.log(8 / 400) + bound + 1e-6);
    expect(bias[5]).toBeGreaterThan(Math.log(0.6 / 1.01) - bound - 1e-6);
    expect(bias[5]).toBeLessThan(Math.log(0.6 / 1.01) + bound + 1e-6);
    params.dispose();
  });

  it('returns the raw NHWC map per level', () => {
    const { instance, params } = buildModule(detectModule, [2, ANCHORS.slice(0, 2)], [8, 16], { strides: [8, 16] });
    const out = tf.tidy(() => (instance.kind === 'head' ? instance.forward([tf.ones([1, 4, 4, 8]), tf.ones([1, 2, 2, 16])], { training: false }) : []));
    expect(out.map((t) => t.shape)).toEqual([
      [1, 4, 4, 21],
      [1, 2, 2, 21],
    ]);
    tf.dispose(out);
    params.dispose();
  });

  it("reverses anchors that shrink while strides grow (yolov5's check_anchor_order)", () => {
    const levels = [[[100, 100]] as [number, number][], [[10, 10]] as [number, number][]];
    expect(orderAnchors(levels, [8, 16])).toEqual([[[10, 10]], [[100, 100]]]);
    expect(orderAnchors([...levels].reverse(), [8, 16])).toEqual([[[10, 10]], [[100, 100]]]);
  });
});
