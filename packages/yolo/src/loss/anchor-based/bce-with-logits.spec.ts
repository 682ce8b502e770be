import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { bceWithLogits } from './bce-with-logits.js';

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

async function value(logits: number[], targets: number[], options = {}): Promise<number> {
  const loss = bceWithLogits(tf.tensor1d(logits), tf.tensor1d(targets), options);
  return (await loss.data())[0] as number;
}

describe('bceWithLogits', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('is the mean of -[y log s(x) + (1-y) log(1-s(x))]', async () => {
    // x = 2, y = 0: softplus(2); x = -1, y = 1: softplus(1); x = 0, y = 0.3: ln 2 whatever y is.
    expect(await value([2, -1, 0], [0, 1, 0.3])).toBeCloseTo((softplus(2) + softplus(1) + Math.LN2) / 3, 6);
  });

  it('weights the positive part by pos_weight', async () => {
    // x = 1, y = 0.75, pw = 2: 2 * 0.75 * softplus(-1) + 0.25 * softplus(1).
    expect(await value([1], [0.75], { posWeight: 2 })).toBeCloseTo(1.5 * softplus(-1) + 0.25 * softplus(1), 6);
  });

  it('multiplies by alpha_factor * (1 - p_t)^gamma for focal loss', async () => {
    // x = 0.5, y = 1, gamma 1.5, alpha 0.25: p_t = s(0.5); loss = softplus(-0.5) * 0.25 * (1 - s(0.5))^1.5.
    const p = sigmoid(0.5);
    expect(await value([0.5], [1], { focalGamma: 1.5 })).toBeCloseTo(softplus(-0.5) * 0.25 * (1 - p) ** 1.5, 6);
    // y = 0: p_t = 1 - p, alpha factor 0.75.
    expect(await value([0.5], [0], { focalGamma: 2 })).toBeCloseTo(softplus(0.5) * 0.75 * p ** 2, 6);
  });

  it('has the gradient (s(x) - y) / n, also at x = 0', async () => {
    const grad = tf.grad((x: tf.Tensor) => bceWithLogits(x, tf.tensor1d([0.2, 1])))(tf.tensor1d([0, 3]));
    const [g0, g1] = await grad.data();
    expect(g0).toBeCloseTo((0.5 - 0.2) / 2, 6);
    expect(g1).toBeCloseTo((sigmoid(3) - 1) / 2, 6);
  });

  it('stays finite for large logits', async () => {
    expect(await value([100, -100], [0, 0])).toBeCloseTo(50, 4);
    expect(await value([-100], [1])).toBeCloseTo(100, 4);
  });
});
