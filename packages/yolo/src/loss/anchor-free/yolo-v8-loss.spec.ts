import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { resolveYoloV8LossConfig, type YoloV8LossOptions } from './loss-config.js';
import { computeYoloV8Loss, createYoloV8Loss, type DetectionTargets, type YoloV8LossOutput } from './yolo-v8-loss.js';

function lossOf(levels: readonly tf.Tensor4D[], targets: DetectionTargets, options: YoloV8LossOptions): YoloV8LossOutput {
  return computeYoloV8Loss(levels, targets, resolveYoloV8LossConfig(options));
}

const LN2 = Math.log(2);
const PEAK = 40;

/** Head output of one anchor whose box sides decode to `distances` (each k or k + 0.5), class logits 0. */
function anchorChannels(distances: readonly number[], nc: number): number[] {
  const channels = new Array<number>(64 + nc).fill(0);
  distances.forEach((d, side) => {
    channels[side * 16 + Math.floor(d)] = PEAK;
    if (d % 1 !== 0) channels[side * 16 + Math.floor(d) + 1] = PEAK; // two equal peaks: expectation k + 0.5
  });
  return channels;
}

async function values(out: YoloV8LossOutput): Promise<{ total: number; box: number; cls: number; dfl: number }> {
  const [total, box, cls, dfl] = await Promise.all([out.total, out.terms.box, out.terms.cls, out.terms.dfl].map(async (t) => (await t.data())[0] as number));
  return { total: total as number, box: box as number, cls: cls as number, dfl: dfl as number };
}

/** Three levels for a 64 px image: 8x8, 4x4, 2x2 anchors; nc = 3. */
const smallConfig: YoloV8LossOptions = { numClasses: 3, imageSize: 64 };
const smallTargets = {
  rows: new Float32Array([0, 0, 0.3, 0.4, 0.35, 0.5, 0, 2, 0.7, 0.7, 0.4, 0.3, 1, 1, 0.5, 0.5, 0.8, 0.6]),
  count: 3,
};
function smallLevels(seed: number, scale = 0.5): tf.Tensor4D[] {
  return [8, 4, 2].map((side, i) => tf.mul(tf.randomNormal([2, side, side, 67], 0, 1, 'float32', seed + i), scale) as tf.Tensor4D);
}

// wasm is what training runs on: its stock OneHot once zeroed the DFL term there alone.
describe.each(['cpu', 'wasm'] as const)('computeYoloV8Loss on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('hand case: boxes decoded exactly onto the gt -> box 0, DFL ln 2, BCE ln 2 per entry', async () => {
    // One 2x2 level at stride 8 (16 px image); the gt covers the image: (0,0)-(2,2) in grid units.
    // Every anchor decodes l, t, r, b = its distances to the sides (0.5 or 1.5, two equal peaks each),
    // so the CIoU is 1 and each side's DFL is -(0.5 ln 0.5 + 0.5 ln 0.5) = ln 2. Image 1 has no gt.
    const anchors = [[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [1.5, 1.5]] as const;
    const image = anchors.flatMap(([x, y]) => anchorChannels([x, y, 2 - x, 2 - y], 2));
    const level = tf.tensor4d([...image, ...image], [2, 2, 2, 66]);
    const out = lossOf([level], { rows: new Float32Array([0, 1, 0.5, 0.5, 1, 1]), count: 1 }, { numClasses: 2, imageSize: 16, strides: [8] });
    const v = await values(out);
    // 4 positives, target score 1 each -> sum 4. cls: 2 images * 4 anchors * 2 classes * ln 2 / 4.
    expect(v.box).toBeCloseTo(0, 5);
    expect(v.cls).toBeCloseTo(0.5 * 4 * LN2, 5);
    expect(v.dfl).toBeCloseTo(1.5 * LN2, 5);
    expect(v.total).toBeCloseTo(2 * (0.5 * 4 * LN2 + 1.5 * LN2), 4);
  });

  it('hand case: a concentric box twice too large -> CIoU 1/4, target score 1/4, DFL 20 per side', async () => {
    // One 1x1 level at stride 16; the gt is the whole image, (0,0)-(1,1) in grid units, target distances 0.5.
    // Every side decodes to 1 (a single peak at bin 1): the box is (-0.5,-0.5)-(1.5,1.5), IoU = CIoU = 1/4.
    const level = tf.tensor4d(anchorChannels([1, 1, 1, 1], 2), [1, 1, 1, 66]);
    const out = lossOf([level], { rows: new Float32Array([0, 0, 0.5, 0.5, 1, 1]), count: 1 }, { numClasses: 2, imageSize: 16, strides: [16] });
    const v = await values(out);
    const align = Math.sqrt(0.5) * 0.25 ** 6; // sigmoid(0)^0.5 * CIoU^6
    const targetScore = (align * 0.25) / (align + 1e-9); // align * best IoU / (best align + eps); sum < 1 -> divide by 1
    // DFL: target 0.5 splits evenly between bins 0 and 1; -log p0 = 40 (+ tiny), -log p1 = 0 (+ tiny).
    expect(v.box).toBeCloseTo(7.5 * 0.75 * targetScore, 5);
    expect(v.cls).toBeCloseTo(0.5 * 2 * LN2, 5);
    expect(v.dfl).toBeCloseTo(1.5 * 20 * targetScore, 4);
    expect(v.total).toBeCloseTo(v.box + v.cls + v.dfl, 5);
  });

  it('is finite with gradients flowing into box and class channels, and leaks no tensor', () => {
    const variables = smallLevels(1).map((t) => tf.variable(t));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => lossOf(variables, smallTargets, smallConfig).total, variables);
    const total = value.dataSync()[0] as number;
    expect(Number.isFinite(total)).toBe(true);
    expect(total).toBeGreaterThan(0);
    const gradients = variables.map((v) => grads[v.name] as tf.Tensor);
    let boxGrad = 0;
    let classGrad = 0;
    for (const grad of gradients) {
      const g = grad.dataSync();
      expect(g.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < g.length; i += 1) {
        if (i % 67 < 64) boxGrad += Math.abs(g[i] as number);
        else classGrad += Math.abs(g[i] as number);
      }
    }
    expect(boxGrad).toBeGreaterThan(0);
    expect(classGrad).toBeGreaterThan(0);
    tf.dispose([value, ...gradients]);
    expect(tf.memory().numTensors).toBe(before);

    const out = lossOf(variables, smallTargets, smallConfig);
    tf.dispose([out.total, out.terms.box, out.terms.cls, out.terms.dfl]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(variables);
  });

  it('goes down when Adam optimises a free head output for 30 steps', () => {
    const variables = smallLevels(7, 0.1).map((t) => tf.variable(t));
    const loss = createYoloV8Loss(smallConfig);
    const optimizer = tf.train.adam(0.05);
    const losses: number[] = [];
    for (let step = 0; step < 30; step += 1) {
      const cost = optimizer.minimize(() => loss.compute(variables, smallTargets).total, true, variables);
      losses.push(cost?.dataSync()[0] as number);
      cost?.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1) as number).toBeLessThan(0.5 * (losses[0] as number));
    optimizer.dispose();
    tf.dispose(variables);
  });

  it('names what is wrong with the levels or the image size', () => {
    const targets = { rows: new Float32Array(0), count: 0 };
    expect(() => lossOf([tf.zeros([1, 2, 2, 66])], targets, { numClasses: 3, imageSize: 16, strides: [8] })).toThrow(
      /level 0 has shape \[1, 2, 2, 66\], expected \[1, H, W, 67\]/,
    );
    expect(() => lossOf([tf.zeros([1, 2, 2, 67])], targets, { numClasses: 3, imageSize: 16 })).toThrow(/got 1 prediction levels but 3 strides/);
    expect(() => lossOf([tf.zeros([1, 2, 2, 67])], targets, { numClasses: 3, imageSize: [16, 24], strides: [8] })).toThrow(
      /imageSize 16x24 does not match level 0, 2x2 cells at stride 8 = 16x16 px/,
    );
  });

  it('widens a gt smaller than strides[1] to pick candidates (Ultralytics 8.4), unless told not to', async () => {
    // A 3 x 3 px gt, (4.5, 4.5)-(7.5, 7.5) in a 16 px image: no anchor centre (4 or 12 px at stride 8, 8 px at
    // stride 16) lies inside it. Widened to 16 px it holds all five. Predicted boxes 16 px wide give CIoU > 0.
    const levels = [
      tf.tensor4d(Array.from({ length: 4 }, () => anchorChannels([1, 1, 1, 1], 1)).flat(), [1, 2, 2, 65]),
      tf.tensor4d(anchorChannels([0.5, 0.5, 0.5, 0.5], 1), [1, 1, 1, 65]),
    ];
    const tiny = { rows: new Float32Array([0, 0, 0.375, 0.375, 0.1875, 0.1875]), count: 1 };
    const widened = await values(lossOf(levels, tiny, { numClasses: 1, imageSize: 16, strides: [8, 16] }));
    expect(widened.box).toBeGreaterThan(0);
    expect(widened.dfl).toBeGreaterThan(0);
    const plain = await values(lossOf(levels, tiny, { numClasses: 1, imageSize: 16, strides: [8, 16], assigner: { minCandidateSide: 0 } }));
    expect(plain.box).toBe(0);
    expect(plain.dfl).toBe(0);
  });

  it('with no targets at all, only the class term remains: every logit pushed towards 0 probability', async () => {
    const level = tf.zeros([1, 2, 2, 66]) as tf.Tensor4D;
    const v = await values(lossOf([level], { rows: new Float32Array(0), count: 0 }, { numClasses: 2, imageSize: 16, strides: [8] }));
    expect(v.box).toBe(0);
    expect(v.dfl).toBe(0);
    expect(v.cls).toBeCloseTo(0.5 * 8 * LN2, 5); // 4 anchors * 2 classes * ln 2 / max(0, 1)
  });
});
