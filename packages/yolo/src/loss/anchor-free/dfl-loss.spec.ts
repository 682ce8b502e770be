import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { distributionFocalLoss } from './dfl-loss.js';

describe('distributionFocalLoss', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('is ln 16 for uniform logits, whatever the targets (both bins cost ln 16, weights sum to 1)', async () => {
    const loss = distributionFocalLoss(tf.zeros([3, 4, 16]), tf.tensor2d([[0, 3.25, 7.5, 14.99], [1, 2, 3, 4], [20, -1, 0.5, 9.9]]));
    expect(loss.shape).toEqual([3, 1]);
    for (const value of await loss.data()) expect(value).toBeCloseTo(Math.log(16), 5);
  });

  it('weights the two neighbouring bins of a hand-made distribution', async () => {
    // bins 3 and 4 hold probabilities 0.5 and 0.3, the other 14 share 0.2
    const p = Array.from({ length: 16 }, (_, k) => (k === 3 ? 0.5 : k === 4 ? 0.3 : 0.2 / 14));
    const side = p.map(Math.log);
    const logits = tf.tensor3d([[side, side, side, side]]);
    // target 3.25: bin 3 weight 0.75, bin 4 weight 0.25; target 4: bin 4 weight 1;
    // target 15 is clamped to 14.99: bin 14 weight 0.01, bin 15 weight 0.99
    const targets = tf.tensor2d([[3.25, 4, 15, 3.25]]);
    const sides = [
      -(0.75 * Math.log(0.5) + 0.25 * Math.log(0.3)),
      -Math.log(0.3),
      -Math.log(0.2 / 14),
      -(0.75 * Math.log(0.5) + 0.25 * Math.log(0.3)),
    ];
    const expected = sides.reduce((a, b) => a + b, 0) / 4;
    expect((await distributionFocalLoss(logits, targets).data())[0]).toBeCloseTo(expected, 5);
  });

  it('pulls the logits of the two target bins up', () => {
    const grad = tf.grad((x: tf.Tensor) => tf.sum(distributionFocalLoss(x, tf.tensor2d([[2.5, 2.5, 2.5, 2.5]]))))(tf.zeros([1, 4, 16]));
    const g = grad.arraySync() as number[][][];
    const l = g[0]?.[0] ?? [];
    expect(l[2]).toBeCloseTo((1 / 16 - 0.5) / 4, 6); // (softmax - bin weight), averaged over the 4 sides
    expect(l[3]).toBeCloseTo((1 / 16 - 0.5) / 4, 6);
    expect(l[0]).toBeCloseTo(1 / 16 / 4, 6);
  });
});
