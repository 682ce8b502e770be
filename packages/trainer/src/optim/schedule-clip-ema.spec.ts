import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { clipByGlobalNorm } from './clip-gradients.js';
import { learningRateAt } from './lr-schedule.js';
import { ModelEma } from './model-ema.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('learningRateAt', () => {
  const base = { lr: 0.01, finalFactor: 0.1, totalSteps: 11, warmupSteps: 0 };

  it('follows the one-cycle cosine from lr to lr * lrf', () => {
    expect(learningRateAt(0, { ...base, decay: 'cosine' })).toBeCloseTo(0.01, 12);
    expect(learningRateAt(5, { ...base, decay: 'cosine' })).toBeCloseTo(0.01 * 0.55, 12); // (1 - cos(pi/2)) / 2 = 0.5
    expect(learningRateAt(10, { ...base, decay: 'cosine' })).toBeCloseTo(0.001, 12);
  });

  it('decays linearly, stays constant, and warms up linearly', () => {
    expect(learningRateAt(5, { ...base, decay: 'linear' })).toBeCloseTo(0.01 * (0.5 * 0.9 + 0.1), 12);
    expect(learningRateAt(7, { ...base, decay: 'constant' })).toBe(0.01);
    expect(learningRateAt(0, { ...base, decay: 'constant', warmupSteps: 4 })).toBeCloseTo(0.0025, 12);
    expect(learningRateAt(3, { ...base, decay: 'constant', warmupSteps: 4 })).toBeCloseTo(0.01, 12);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by maxNorm / norm when the joint norm is larger (3-4-12 -> 13)', async () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3, 4]), tf.tensor1d([12])], 6.5);
    expect((await norm.data())[0]).toBeCloseTo(13, 5);
    expect(Array.from(await grads[0]!.data())).toEqual([expect.closeTo(1.5, 5), expect.closeTo(2, 5)]);
    expect((await grads[1]!.data())[0]).toBeCloseTo(6, 5);
  });

  it('leaves gradients under the limit alone', async () => {
    const { grads } = clipByGlobalNorm([tf.tensor1d([0.3, 0.4])], 1);
    expect(Array.from(await grads[0]!.data())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
  });
});

describe('ModelEma', () => {
  it('averages with the ramped decay d = decay (1 - exp(-n / tau)) (hand-computed)', async () => {
    const w = tf.variable(tf.tensor1d([1]), true, `w${Math.random()}`);
    const ema = new ModelEma({ w }, { decay: 0.9, tau: 1 });
    const d1 = 0.9 * (1 - Math.exp(-1));
    w.assign(tf.tensor1d([3]));
    ema.update({ w });
    const after1 = d1 * 1 + (1 - d1) * 3;
    expect((await ema.weights()['w']!.data())[0]).toBeCloseTo(after1, 6);
    const d2 = 0.9 * (1 - Math.exp(-2));
    w.assign(tf.tensor1d([5]));
    ema.update({ w });
    expect((await ema.weights()['w']!.data())[0]).toBeCloseTo(d2 * after1 + (1 - d2) * 5, 6);
    const state = await ema.saveState();
    const copy = new ModelEma({ w }, { decay: 0.9, tau: 1 });
    copy.loadState(state);
    expect(copy.updates).toBe(2);
    expect((await copy.weights()['w']!.data())[0]).toBeCloseTo(d2 * after1 + (1 - d2) * 5, 6);
  });
});
