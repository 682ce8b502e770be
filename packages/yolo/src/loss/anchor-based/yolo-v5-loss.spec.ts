import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { YoloTargets } from './build-targets.js';
import { resolveYoloV5LossConfig, type YoloV5LossOptions } from './loss-config.js';
import { computeYoloV5Loss, createYoloV5Loss } from './yolo-v5-loss.js';

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const EPS = 1e-7;

function targets(...rows: number[][]): YoloTargets {
  return { rows: Float32Array.from(rows.flat()), count: rows.length };
}

/** A [batch, size, size, na*(5+nc)] level whose every cell and anchor holds `fields` (x, y, w, h, obj, classes...). */
function uniformLevel(batch: number, size: number, fields: number[], numAnchors = 1): tf.Tensor4D {
  const cell = Array.from({ length: numAnchors }, () => fields).flat();
  return tf.tensor4d(Array.from({ length: batch * size * size }, () => cell).flat(), [batch, size, size, cell.length]);
}

async function read(x: tf.Tensor): Promise<number> {
  return (await x.data())[0] as number;
}

/**
 * The hand-worked case: one 4x4 level (stride 8, imgsz 32), one anchor of 16x16 px = (2, 2) grid units, nc = 2.
 * Target [image 0, class 1, cx 0.625, cy 0.625, w 0.25, h 0.5] -> gxy (2.5, 2.5), gwh (1, 2); ratios (0.5, 1)
 * -> worst 2 < 4, so it matches; fraction exactly 0.5 -> no neighbours. One match, cell (2, 2), tbox (0.5, 0.5, 1, 2).
 */
const oneLevel: YoloV5LossOptions = { numClasses: 2, imageSize: 32, anchors: [[16, 16]], strides: [8] };
const handTarget = targets([0, 1, 0.625, 0.625, 0.25, 0.5]);

/** CIoU of the zero-logit prediction (0.5, 0.5, 2, 2) against the target (0.5, 0.5, 1, 2), with boxIoU's eps. */
function handCIoU(): number {
  // Intersection: x over [0, 1] (width 1) and y over [-0.5, 1.5] (height 2) -> 2.
  // Union: 2 * (2 + eps) + 1 * (2 + eps) - 2 + eps (boxIoU adds eps to heights and to the union) ~ 4 -> IoU ~ 0.5.
  const iou = 2 / (2 * (2 + EPS) + 1 * (2 + EPS) - 2 + EPS);
  // Same centres -> no distance penalty. Aspect term v = 4/pi^2 (atan(w_t/h_t) - atan(w_p/h_p))^2 = 4/pi^2 (atan(0.5) - pi/4)^2.
  const v = (4 / Math.PI ** 2) * (Math.atan(1 / (2 + EPS)) - Math.atan(2 / (2 + EPS))) ** 2;
  const alpha = v / (v - iou + 1 + EPS);
  return iou - alpha * v;
}

describe('computeYoloV5Loss', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('reproduces the hand-worked box, obj and cls terms of one target on one level', async () => {
    const config = resolveYoloV5LossConfig(oneLevel);
    // Logits: x, y, w, h = 0 -> pxy = 0.5*2 - 0.5 = 0.5, pwh = (0.5*2)^2 * 2 = 2. obj = 1 everywhere. classes (2, -1).
    const level = uniformLevel(1, 4, [0, 0, 0, 0, 1, 2, -1]);
    const { total, terms } = computeYoloV5Loss([level], handTarget, config);
    const ciou = handCIoU();
    // box: gain 0.05 * 3/nl (nl = 1) = 0.15, times mean(1 - CIoU) over the one match.
    const box = 0.15 * (1 - ciou);
    // obj: BCE mean over 16 cells; 15 have target 0 (softplus(1)), the matched one has target CIoU (gr = 1):
    // CIoU * softplus(-1) + (1 - CIoU) * softplus(1). Times balance[0] = 4 and gain 1 * (32/640)^2 * 3 = 0.0075.
    const obj = 0.0075 * 4 * ((15 * softplus(1) + ciou * softplus(-1) + (1 - ciou) * softplus(1)) / 16);
    // cls: targets (cn, cp) = (0, 1): class 0 logit 2 -> softplus(2); class 1 logit -1 -> softplus(1); mean over 2.
    // Gain 0.5 * 2/80 * 3 = 0.0375.
    const cls = 0.0375 * ((softplus(2) + softplus(1)) / 2);
    expect(await read(terms.box)).toBeCloseTo(box, 6);
    expect(await read(terms.obj)).toBeCloseTo(obj, 6);
    expect(await read(terms.cls)).toBeCloseTo(cls, 6);
    // Batch size 1: total = box + obj + cls.
    expect(await read(total)).toBeCloseTo(box + obj + cls, 6);
  });

  it('multiplies the total, not the terms, by the batch size', async () => {
    const loss = createYoloV5Loss(oneLevel);
    const single = loss.compute([uniformLevel(1, 4, [0, 0, 0, 0, 1, 2, -1])], handTarget);
    // The same image as image 1 of a batch of 2 whose image 0 has no target: box and cls are unchanged
    // (means over the same match), obj is a mean over 32 cells with one positive.
    const batch = loss.compute([uniformLevel(2, 4, [0, 0, 0, 0, 1, 2, -1])], targets([1, 1, 0.625, 0.625, 0.25, 0.5]));
    const ciou = handCIoU();
    const obj = 0.0075 * 4 * ((31 * softplus(1) + ciou * softplus(-1) + (1 - ciou) * softplus(1)) / 32);
    expect(await read(batch.terms.box)).toBeCloseTo(await read(single.terms.box), 6);
    expect(await read(batch.terms.cls)).toBeCloseTo(await read(single.terms.cls), 6);
    expect(await read(batch.terms.obj)).toBeCloseTo(obj, 6);
    const sum = (await read(batch.terms.box)) + obj + (await read(batch.terms.cls));
    expect(await read(batch.total)).toBeCloseTo(2 * sum, 6);
  });

  it('uses the smoothed class targets cp = 0.95, cn = 0.05 for label smoothing 0.1', async () => {
    const config = resolveYoloV5LossConfig({ ...oneLevel, numClasses: 3, hyp: { labelSmoothing: 0.1 } });
    const level = uniformLevel(1, 4, [0, 0, 0, 0, 0, 1, -2, 0.5]);
    const { terms } = computeYoloV5Loss([level], targets([0, 2, 0.625, 0.625, 0.25, 0.5]), config);
    // Class 2 is the positive: targets (0.05, 0.05, 0.95); BCE(x, t) = t * softplus(-x) + (1 - t) * softplus(x).
    const bce = (x: number, t: number) => t * softplus(-x) + (1 - t) * softplus(x);
    const mean = (bce(1, 0.05) + bce(-2, 0.05) + bce(0.5, 0.95)) / 3;
    // Gain 0.5 * 3/80 * 3.
    expect(await read(terms.cls)).toBeCloseTo(0.5 * (3 / 80) * 3 * mean, 6);
  });

  it("mixes the teacher's class probabilities into the smoothed targets at the matched rows (teacherMix)", async () => {
    const config = resolveYoloV5LossConfig({ ...oneLevel, numClasses: 3 });
    const level = uniformLevel(1, 4, [0, 0, 0, 0, 0, 1, -2, 0.5]);
    // The teacher: every cell says class logits (ln 3, 0, -ln 3) -> probabilities (0.75, 0.5, 0.25).
    const teacher = uniformLevel(1, 4, [5, 5, 5, 5, 5, Math.log(3), 0, -Math.log(3)]);
    const { terms } = computeYoloV5Loss([level], targets([0, 2, 0.625, 0.625, 0.25, 0.5]), config, { labelSmoothing: 0.1, teacher: { head: [teacher], mix: 0.4 } });
    // Smoothed one-hot (0.05, 0.05, 0.95), then 0.6 of it plus 0.4 of the teacher's (0.75, 0.5, 0.25).
    const t = [0.6 * 0.05 + 0.4 * 0.75, 0.6 * 0.05 + 0.4 * 0.5, 0.6 * 0.95 + 0.4 * 0.25];
    const bce = (x: number, q: number) => q * softplus(-x) + (1 - q) * softplus(x);
    const mean = (bce(1, t[0] as number) + bce(-2, t[1] as number) + bce(0.5, t[2] as number)) / 3;
    expect(await read(terms.cls)).toBeCloseTo(0.5 * (3 / 80) * 3 * mean, 6);
    // The teacher changes nothing else: box and obj as without it.
    const plain = computeYoloV5Loss([level], targets([0, 2, 0.625, 0.625, 0.25, 0.5]), config);
    expect(await read(terms.box)).toBeCloseTo(await read(plain.terms.box), 7);
    expect(await read(terms.obj)).toBeCloseTo(await read(plain.terms.obj), 7);
    expect(() => computeYoloV5Loss([level], handTarget, config, { teacher: { head: [uniformLevel(1, 2, [0, 0, 0, 0, 0, 0, 0, 0])], mix: 1 } })).toThrow(/teacher's head in the student's layout/);
  });

  it('has no box or class loss, and an all-negative objectness, when the anchor-ratio filter drops the target', async () => {
    const config = resolveYoloV5LossConfig(oneLevel);
    // w = 1 -> gw = 4 against an anchor of 2: r = 2 passes, but h = 0.0625 -> gh = 0.25 -> 1/r = 8 >= 4: dropped.
    const { terms } = computeYoloV5Loss([uniformLevel(1, 4, [0, 0, 0, 0, -1, 0, 0])], targets([0, 0, 0.5, 0.5, 1, 0.0625]), config);
    expect(await read(terms.box)).toBe(0);
    expect(await read(terms.cls)).toBe(0);
    // Every cell: target 0, logit -1 -> softplus(-1). Balance 4, gain 0.0075.
    expect(await read(terms.obj)).toBeCloseTo(0.0075 * 4 * softplus(-1), 6);
  });

  it('weights objectness by the balance [4, 1, 0.4] over the three default levels', async () => {
    // imgsz 64 -> grids 8, 4, 2 for strides 8, 16, 32; na = 3, nc = 2; no targets; obj logit 0.5 everywhere.
    const config = resolveYoloV5LossConfig({ numClasses: 2, imageSize: 64 });
    const fields = [0, 0, 0, 0, 0.5, 0, 0];
    const levels = [uniformLevel(1, 8, fields, 3), uniformLevel(1, 4, fields, 3), uniformLevel(1, 2, fields, 3)];
    const { terms, total } = computeYoloV5Loss(levels, targets(), config);
    // Each level's BCE mean is softplus(0.5); gain (64/640)^2 * 3/3 = 0.01.
    expect(await read(terms.obj)).toBeCloseTo(0.01 * (4 + 1 + 0.4) * softplus(0.5), 6);
    expect(await read(total)).toBeCloseTo(await read(terms.obj), 6);
  });

  it('applies focal loss to objectness when fl_gamma > 0', async () => {
    const config = resolveYoloV5LossConfig({ ...oneLevel, hyp: { flGamma: 2 } });
    const { terms } = computeYoloV5Loss([uniformLevel(1, 4, [0, 0, 0, 0, 0.5, 0, 0])], targets(), config);
    // Target 0 everywhere: softplus(0.5) * (1 - alpha = 0.75) * (1 - p_t = sigmoid(0.5))^2; balance 4, gain 0.0075.
    expect(await read(terms.obj)).toBeCloseTo(0.0075 * 4 * softplus(0.5) * 0.75 * sigmoid(0.5) ** 2, 6);
  });

  it('skips the class loss for a single class, as upstream does', async () => {
    const config = resolveYoloV5LossConfig({ ...oneLevel, numClasses: 1 });
    const { terms } = computeYoloV5Loss([uniformLevel(1, 4, [0, 0, 0, 0, 0, 3])], targets([0, 0, 0.625, 0.625, 0.25, 0.5]), config);
    expect(await read(terms.cls)).toBe(0);
    expect(await read(terms.box)).toBeCloseTo(0.15 * (1 - handCIoU()), 6);
  });

  it('gives a shared cell the objectness target of the last match (tobj[b, a, gj, gi] = iou)', async () => {
    const config = resolveYoloV5LossConfig(oneLevel);
    // Two targets in cell (2, 2): the first exactly the predicted box (CIoU 1), the second the hand-worked one.
    const level = uniformLevel(1, 4, [0, 0, 0, 0, 0, 0, 0]);
    const exact = [0, 0, 0.625, 0.625, 0.5, 0.5];
    const hand = [0, 1, 0.625, 0.625, 0.25, 0.5];
    const objOf = async (rows: YoloTargets) => read(computeYoloV5Loss([level], rows, config).terms.obj);
    // Logit 0: BCE = ln 2 whatever the target, so use its gradient instead: d obj / d logit = gain*4*(0.5 - t)/16.
    const gradAt = async (rows: YoloTargets) => {
      const grad = tf.grad((x: tf.Tensor) => computeYoloV5Loss([x as tf.Tensor4D], rows, config).terms.obj)(level);
      return (await grad.data())[(2 * 4 + 2) * 7 + 4] as number;
    };
    expect(await objOf(targets(exact, hand))).toBeCloseTo(0.0075 * 4 * Math.LN2, 6);
    expect(await gradAt(targets(exact, hand))).toBeCloseTo((0.0075 * 4 * (0.5 - handCIoU())) / 16, 6);
    expect(await gradAt(targets(hand, exact))).toBeCloseTo((0.0075 * 4 * (0.5 - 1)) / 16, 5);
  });

  it('sends gradient to the box and class channels of exactly the matched cells (own + two neighbours)', async () => {
    // 6x6 grid, stride 8, imgsz 48; target at cell fraction (0.3, 0.7) of cell (2, 2) -> cells (2, 2), (1, 2), (2, 3).
    const config = resolveYoloV5LossConfig({ numClasses: 2, imageSize: 48, anchors: [[16, 16]], strides: [8] });
    const level = tf.randomNormal([1, 6, 6, 7], 0, 0.5, 'float32', 1) as tf.Tensor4D;
    const rows = targets([0, 1, 2.3 / 6, 2.7 / 6, 2 / 6, 2 / 6]);
    const grad = tf.grad((x: tf.Tensor) => computeYoloV5Loss([x as tf.Tensor4D], rows, config).total)(level);
    const values = await grad.data();
    expect(values.every(Number.isFinite)).toBe(true);
    const matched = new Set(['2,2', '1,2', '2,3']);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        const at = (k: number) => values[(y * 6 + x) * 7 + k] as number;
        const boxAndClass = [0, 1, 2, 3, 5, 6].map(at);
        if (matched.has(`${x},${y}`)) expect(boxAndClass.every((g) => g !== 0)).toBe(true);
        else expect(boxAndClass.every((g) => g === 0)).toBe(true);
        expect(at(4)).not.toBe(0); // objectness covers every cell
      }
    }
  });

  it('detaches the IoU objectness target: the obj term sends no gradient to the box channels', async () => {
    const config = resolveYoloV5LossConfig(oneLevel);
    const level = tf.randomNormal([1, 4, 4, 7], 0, 0.5, 'float32', 3) as tf.Tensor4D;
    const grad = tf.grad((x: tf.Tensor) => computeYoloV5Loss([x as tf.Tensor4D], handTarget, config).terms.obj)(level);
    const values = await grad.data();
    const matched = (2 * 4 + 2) * 7;
    expect([0, 1, 2, 3, 5, 6].map((k) => values[matched + k])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values[matched + 4]).not.toBe(0);
  });

  it('leaves no tensor behind inside tf.tidy, and only its four outputs outside', () => {
    const config = resolveYoloV5LossConfig({ numClasses: 2, imageSize: 64 });
    const fields = [0.1, -0.2, 0.3, 0, 0.5, 0, 1];
    const levels = [uniformLevel(2, 8, fields, 3), uniformLevel(2, 4, fields, 3), uniformLevel(2, 2, fields, 3)];
    const rows = targets([0, 0, 0.3, 0.7, 0.2, 0.3], [1, 1, 0.6, 0.4, 0.5, 0.4]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      computeYoloV5Loss(levels, rows, config);
    });
    expect(tf.memory().numTensors).toBe(before);
    const out = computeYoloV5Loss(levels, rows, config);
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose([out.total, out.terms.box, out.terms.obj, out.terms.cls]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decreases over 30 Adam steps on a free head output, with no tensor growth across steps', async () => {
    const loss = createYoloV5Loss({ numClasses: 3, imageSize: 64, anchors: [[10, 13, 16, 30, 33, 23]], strides: [8] });
    const head = tf.variable(tf.randomNormal([2, 8, 8, 3 * 8], 0, 0.1, 'float32', 7));
    const rows = targets([0, 0, 0.3, 0.35, 0.2, 0.25], [0, 2, 0.7, 0.6, 0.4, 0.3], [1, 1, 0.5, 0.5, 0.3, 0.5]);
    const optimizer = tf.train.adam(0.05);
    const step = () => (optimizer.minimize(() => loss.compute([head as tf.Tensor4D], rows).total, true, [head]) as tf.Scalar);
    const first = step();
    const initial = await read(first);
    first.dispose();
    const count = tf.memory().numTensors;
    let last = initial;
    for (let i = 1; i < 30; i++) {
      const cost = step();
      last = await read(cost);
      cost.dispose();
      expect(tf.memory().numTensors).toBe(count);
    }
    expect(last).toBeLessThan(0.5 * initial);
    optimizer.dispose();
    head.dispose();
  });

  it('says what is wrong with the level tensors', () => {
    const config = resolveYoloV5LossConfig(oneLevel);
    expect(() => computeYoloV5Loss([uniformLevel(1, 4, [0, 0, 0, 0, 0, 0])], targets(), config)).toThrow(
      /level 0 has 6 channels; 1 anchors x \(5 \+ 2 classes\) need 7/,
    );
    expect(() => computeYoloV5Loss([], targets(), config)).toThrow(/got 0 prediction levels; the anchors describe 1/);
  });
});
