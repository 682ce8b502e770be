import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { boxDistill, classBCE, classKL, dflDistill, objectnessFocal, positivesMask, weightedMean } from './terms.js';

const LN3 = Math.log(3);
// p_t = [1/4, 3/4], p_s = [1/2, 1/2]: KL = 1/4 ln(1/2) + 3/4 ln(3/2) = 0.1308120...
const KL_QUARTER = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);

async function scalar(t: tf.Tensor): Promise<number> {
  const [v] = await t.data();
  t.dispose();
  return v ?? Number.NaN;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('weightedMean', () => {
  it('is the plain mean without weights and sum(w l) / sum(w) with them', async () => {
    // mean(1, 3) = 2; weights (1, 3): (1 + 9) / 4 = 2.5
    expect(await scalar(weightedMean(tf.tensor1d([1, 3])))).toBeCloseTo(2, 6);
    expect(await scalar(weightedMean(tf.tensor1d([1, 3]), tf.tensor1d([1, 3])))).toBeCloseTo(2.5, 6);
  });
});

describe('classKL', () => {
  it('is tau^2 KL(softmax(t/tau) || softmax(s/tau))', async () => {
    // tau 2: teacher (0, 2 ln3)/2 = (0, ln3) -> (1/4, 3/4); student (0,0) -> (1/2, 1/2); x tau^2 = 4
    const s = tf.tensor2d([[0, 0]]);
    const t = tf.tensor2d([[0, 2 * LN3]]);
    expect(await scalar(classKL(s, t, { temperature: 2 }))).toBeCloseTo(4 * KL_QUARTER, 5);
  });

  it('defaults to tau 3 and is 0 when student equals teacher', async () => {
    // teacher (0, 3 ln3)/3 -> (1/4, 3/4); x 9
    expect(await scalar(classKL(tf.tensor2d([[0, 0]]), tf.tensor2d([[0, 3 * LN3]])))).toBeCloseTo(9 * KL_QUARTER, 5);
    expect(await scalar(classKL(tf.tensor2d([[1, -2, 0.5]]), tf.tensor2d([[1, -2, 0.5]])))).toBeCloseTo(0, 6);
  });

  it('weights locations: (KL, 0) with weights (1, 1) halves, (1, 0) keeps it', async () => {
    const s = tf.tensor2d([[0, 0], [0, 0]]);
    const t = tf.tensor2d([[0, LN3], [0, 0]]);
    expect(await scalar(classKL(s, t, { temperature: 1, weights: tf.tensor1d([1, 1]) }))).toBeCloseTo(KL_QUARTER / 2, 5);
    expect(await scalar(classKL(s, t, { temperature: 1, weights: tf.tensor1d([1, 0]) }))).toBeCloseTo(KL_QUARTER, 5);
  });

  it('gives the teacher no gradient and the student one', async () => {
    const s = tf.tensor2d([[0, 0]]);
    const t = tf.tensor2d([[0, LN3]]);
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => classKL(a, b, { temperature: 1 }))([s, t]);
    // d/ds KL = (p_s - p_t) / tau * tau^2 = (1/4, -1/4)
    expect(Array.from(await gs!.data())).toEqual([expect.closeTo(0.25, 5), expect.closeTo(-0.25, 5)]);
    expect(Array.from(await gt!.data())).toEqual([0, 0]);
  });
});

describe('classBCE', () => {
  it('is BCE(student/tau, sigmoid(teacher/tau)) summed over classes, x tau^2', async () => {
    // z = sigmoid(0) = 1/2; BCE(0, 1/2) = ln 2 per class, 2 classes = 2 ln2; tau 2 -> x 4
    expect(await scalar(classBCE(tf.tensor2d([[0, 0]]), tf.tensor2d([[0, 0]]), { temperature: 2 }))).toBeCloseTo(8 * Math.LN2, 5);
    // tau 1, x = 2, z = 1/2: relu(2) - 2 * 1/2 + ln(1 + e^-2) = 1 + 0.126928
    expect(await scalar(classBCE(tf.tensor2d([[2]]), tf.tensor2d([[0]]), { temperature: 1 }))).toBeCloseTo(1 + Math.log1p(Math.exp(-2)), 5);
  });
});

describe('objectnessFocal', () => {
  it('is alpha_q |q - p|^gamma BCE(s, q)', async () => {
    // s = 0 -> p = 1/2; t = ln3 -> q = 3/4; alpha_q = .25*.75 + .75*.25 = .375; |q-p|^2 = 1/16;
    // BCE(0, .75) = ln2 -> .375 / 16 * ln2 = 0.0162456
    expect(await scalar(objectnessFocal(tf.tensor1d([0]), tf.tensor1d([LN3])))).toBeCloseTo((0.375 / 16) * Math.LN2, 6);
  });

  it('vanishes when the student matches the teacher', async () => {
    expect(await scalar(objectnessFocal(tf.tensor1d([1.5, -2]), tf.tensor1d([1.5, -2]), { gamma: 2, alpha: 0.25 }))).toBeCloseTo(0, 7);
  });
});

describe('dflDistill', () => {
  it('is tau^2 KL over the bins, averaged over the 4 sides', async () => {
    // one side has teacher (0, ln3) -> (1/4, 3/4) vs (1/2, 1/2); the others match: KL_QUARTER / 4
    const s = tf.zeros([1, 4, 2]);
    const t = tf.tensor3d([[[0, LN3], [0, 0], [0, 0], [0, 0]]]);
    expect(await scalar(dflDistill(s, t))).toBeCloseTo(KL_QUARTER / 4, 6);
  });
});

describe('boxDistill', () => {
  it('weights 1 - GIoU by normalised teacher confidence', async () => {
    // A = (0,0,4,4) vs B = (2,2,6,8): IoU 4/36, hull 48 -> GIoU = 1/9 - 12/48; 1 - GIoU = 1.138889
    // second pair identical -> 0; attention (1, 3) -> weights (1/4, 3/4) -> 1.138889 / 4
    const s = tf.tensor2d([[0, 0, 4, 4], [1, 1, 3, 3]]);
    const t = tf.tensor2d([[2, 2, 6, 8], [1, 1, 3, 3]]);
    const expected = (1 - (1 / 9 - 1 / 4)) / 4;
    expect(await scalar(boxDistill(s, t, { kind: 'giou', attention: tf.tensor1d([1, 3]) }))).toBeCloseTo(expected, 5);
  });

  it('is 0 for identical boxes under CIoU', async () => {
    const b = tf.tensor2d([[1, 1, 3, 5]]);
    expect(await scalar(boxDistill(b, b))).toBeCloseTo(0, 5);
  });
});

describe('positivesMask', () => {
  it('keeps locations by threshold, top-k or both', async () => {
    const conf = tf.tensor1d([0.1, 0.9, 0.5, 0.7]);
    expect(Array.from(await positivesMask(conf, { threshold: 0.5 }).data())).toEqual([0, 1, 1, 1]);
    expect(Array.from(await positivesMask(conf, { topk: 2 }).data())).toEqual([0, 1, 0, 1]);
    expect(Array.from(await positivesMask(conf, { threshold: 0.8, topk: 2 }).data())).toEqual([0, 1, 0, 0]);
    expect(Array.from(await positivesMask(conf).data())).toEqual([1, 1, 1, 1]);
  });
});

describe('no leaks', () => {
  it('leaves only the returned scalar behind', () => {
    const s = tf.randomNormal([2, 3, 4]);
    const t = tf.randomNormal([2, 3, 4]);
    const before = tf.memory().numTensors;
    const results = [classKL(s, t), classBCE(s, t), objectnessFocal(s, t), dflDistill(tf.reshape(s, [2, 3, 2, 2]), tf.reshape(t, [2, 3, 2, 2]))];
    // the two reshapes above escape by design (made outside tidy): 2 + 4 results
    expect(tf.memory().numTensors - before).toBe(results.length + 2);
  });
});
