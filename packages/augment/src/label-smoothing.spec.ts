import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { labelSmoothingEpsilon, smoothBceTargets, smoothClassTargets } from './label-smoothing.js';

describe('label smoothing (a loss-side setting)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('gives smooth_BCE targets: 1 - eps/2 for the class, eps/2 for the others', () => {
    expect(smoothBceTargets(0.1)).toEqual({ positive: 0.95, negative: 0.05 });
    expect(smoothBceTargets(0)).toEqual({ positive: 1, negative: 0 });
    expect(() => smoothBceTargets(1.5)).toThrow('label smoothing epsilon must be in [0, 1], got 1.5');
  });

  it('smooths a one-hot target tensor the same way', async () => {
    const oneHot = tf.tensor2d([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const smoothed = smoothClassTargets(oneHot, 0.2);
    const values = Array.from(await smoothed.data());
    [0.1, 0.9, 0.1, 0.9, 0.1, 0.1].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 6));
    tf.dispose([oneHot, smoothed]);
  });

  it('offers the epsilon schema a trainer or loss config embeds: 0 by default, 0..1', () => {
    expect(labelSmoothingEpsilon.parse(undefined)).toBe(0);
    expect(labelSmoothingEpsilon.parse(0.1)).toBe(0.1);
    expect(labelSmoothingEpsilon.safeParse(2).success).toBe(false);
  });
});
