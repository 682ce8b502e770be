import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildTargets, computeMatchedLoss, computeYoloV5Loss, levelGrids, resolveYoloV5LossConfig, type YoloTargets } from '@yolo-distill/yolo';
import { simOtaAssign } from './sim-ota-assign.js';
import { computeYoloV7Loss, createYoloV7Loss, YOLOV7_HYP, YOLOV7_TINY_HYP } from './yolo-v7-loss.js';

// One level, 4 x 4 at stride 8 (32 x 32 images), one anchor of 8 x 8 px (1 x 1 cells), two classes.
const options = { numClasses: 2, imageSize: 32, strides: [8], anchors: [[8, 8]], balance: [1] };
const targets: YoloTargets = { rows: Float32Array.from([0, 1, 0.4, 0.4, 0.25, 0.25]), count: 1 };

describe('ComputeLossOTA', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("takes yolov7's hyp files: p5 (box 0.05, obj 0.7, cls 0.3) by default, tiny's on request, train.py's gain scaling", () => {
    const p5 = createYoloV7Loss(options).config;
    expect(p5.hyp).toEqual(YOLOV7_HYP);
    // nl = 1: x3; cls also x nc/80; obj also x (32/640)^2.
    expect(p5.gains.box).toBeCloseTo(0.05 * 3, 10);
    expect(p5.gains.cls).toBeCloseTo(0.3 * (2 / 80) * 3, 10);
    expect(p5.gains.obj).toBeCloseTo(0.7 * (32 / 640) ** 2 * 3, 10);
    expect(createYoloV7Loss({ ...options, defaults: YOLOV7_TINY_HYP, hyp: { cls: 0.2 } }).config.hyp).toEqual({ ...YOLOV7_TINY_HYP, cls: 0.2 });
  });

  it("computes yolov5's terms on the matches SimOTA keeps, not on every find_3_positive candidate", async () => {
    const config = resolveYoloV5LossConfig({ ...options, hyp: YOLOV7_HYP });
    const level = tf.zeros([1, 4, 4, 7]) as tf.Tensor4D;
    const grids = levelGrids([level], config);
    const candidates = buildTargets(targets, grids, { numClasses: 2, anchors: config.anchors, anchorT: 4 });
    const kept = simOtaAssign({ candidates, predictions: [new Float32Array(candidates[0]!.count * 7)], grids, strides: [8], targets, numClasses: 2, imageHeight: 32, imageWidth: 32 });
    expect([candidates[0]!.count, kept[0]!.count]).toEqual([3, 1]);
    const ota = computeYoloV7Loss([level], targets, config, 32);
    const byHand = computeMatchedLoss([level], grids, kept, config);
    const v5 = computeYoloV5Loss([level], targets, config);
    const values = async (out: typeof ota) => Promise.all([out.total, out.terms.box, out.terms.obj, out.terms.cls].map(async (t) => (await t.data())[0] as number));
    const [a, b, c] = await Promise.all([values(ota), values(byHand), values(v5)]);
    a.forEach((value, i) => expect(value).toBeCloseTo(b[i] as number, 6));
    // With three positives instead of one, yolov5's box term (a mean over its matches) differs.
    expect(Math.abs((a[1] as number) - (c[1] as number))).toBeGreaterThan(1e-3);
    tf.dispose([level, ota.total, byHand.total, v5.total, ...Object.values(ota.terms), ...Object.values(byHand.terms), ...Object.values(v5.terms)]);
  });

  it('gives gradients to the head and leaves no tensor behind', () => {
    const loss = createYoloV7Loss(options);
    const level = tf.variable(tf.randomNormal([1, 4, 4, 7], 0, 0.5, 'float32', 1));
    const before = tf.memory().numTensors;
    let terms: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const out = loss.compute([level as unknown as tf.Tensor4D], targets);
      terms = Object.values(out.terms);
      return out.total;
    }, [level]);
    const grad = grads[level.name]!;
    expect(grad.shape).toEqual([1, 4, 4, 7]);
    expect(tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([value, grad, ...terms]);
    expect(tf.memory().numTensors).toBe(before);
    level.dispose();
  });
});
