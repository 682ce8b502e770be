import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { bceWithLogits } from './bce-with-logits.js';

describe('bceWithLogits', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('equals -(t log s + (1 - t) log(1 - s)) and stays finite for large logits', async () => {
    const logits = tf.tensor1d([0, 2, -3, 80, -80]);
    const targets = tf.tensor1d([0.3, 1, 0.25, 0, 1]);
    const values = await bceWithLogits(logits, targets).data();
    const reference = (x: number, t: number): number => -(t * Math.log(1 / (1 + Math.exp(-x))) + (1 - t) * Math.log(1 - 1 / (1 + Math.exp(-x))));
    expect(values[0]).toBeCloseTo(Math.log(2), 6);
    expect(values[1]).toBeCloseTo(reference(2, 1), 6);
    expect(values[2]).toBeCloseTo(reference(-3, 0.25), 6);
    expect(values[3]).toBeCloseTo(80, 4);
    expect(values[4]).toBeCloseTo(80, 4);
  });

  it('has gradient sigmoid(x) - t, also at x = 0', async () => {
    const targets = tf.tensor1d([0.3, 1]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(bceWithLogits(x, targets)))(tf.tensor1d([0, 2]));
    const g = await grad.data();
    expect(g[0]).toBeCloseTo(0.5 - 0.3, 6);
    expect(g[1]).toBeCloseTo(1 / (1 + Math.exp(-2)) - 1, 6);
  });
});
