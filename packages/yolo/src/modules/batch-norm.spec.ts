import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { BatchNorm2d, BN_EPS, BN_MOMENTUM } from './batch-norm.js';
import { ParameterStore } from './parameters.js';

describe('BatchNorm2d', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  // channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: 0, 0, 4, 4 (mean 2, var 4, unbiased 16/3)
  const x = () => tf.tensor4d([1, 0, 2, 0, 3, 4, 6, 4], [2, 1, 2, 2]);

  it('trains on batch statistics and moves the running ones as PyTorch does (momentum 0.03, unbiased variance)', async () => {
    const params = new ParameterStore('bn');
    const bn = new BatchNorm2d(params, 'model.0.bn', 2);
    expect(params.list().map((p) => [p.name, p.role])).toEqual([
      ['model.0.bn.weight', 'trainable'],
      ['model.0.bn.bias', 'trainable'],
      ['model.0.bn.running_mean', 'running-stat'],
      ['model.0.bn.running_var', 'running-stat'],
    ]);
    const y = await bn.forward(x(), true).data();
    const expected = [1, 0, 2, 0, 3, 4, 6, 4].map((v, i) => (i % 2 === 0 ? (v - 3) / Math.sqrt(3.5 + BN_EPS) : (v - 2) / Math.sqrt(4 + BN_EPS)));
    expected.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
    const mean = await bn.runningMean.data();
    const variance = await bn.runningVar.data();
    expect(mean[0]).toBeCloseTo(BN_MOMENTUM * 3, 6);
    expect(mean[1]).toBeCloseTo(BN_MOMENTUM * 2, 6);
    expect(variance[0]).toBeCloseTo(1 - BN_MOMENTUM + BN_MOMENTUM * (14 / 3), 6);
    expect(variance[1]).toBeCloseTo(1 - BN_MOMENTUM + BN_MOMENTUM * (16 / 3), 6);
    params.dispose();
  });

  it('evaluates with the running statistics and leaves them alone', async () => {
    const params = new ParameterStore('bn');
    const bn = new BatchNorm2d(params, 'bn', 2);
    bn.gamma.assign(tf.tensor1d([2, 1]));
    bn.beta.assign(tf.tensor1d([0.5, -1]));
    bn.runningMean.assign(tf.tensor1d([1, 2]));
    bn.runningVar.assign(tf.tensor1d([3, 0.25]));
    const y = await bn.forward(x(), false).data();
    [1, 0, 2, 0, 3, 4, 6, 4].forEach((v, i) => {
      const want = i % 2 === 0 ? ((v - 1) * 2) / Math.sqrt(3 + BN_EPS) + 0.5 : (v - 2) / Math.sqrt(0.25 + BN_EPS) - 1;
      expect(y[i]).toBeCloseTo(want, 5);
    });
    expect(Array.from(await bn.runningMean.data())).toEqual([1, 2]);
    params.dispose();
  });

  it('lets gradients reach gamma and beta in training mode, and allocates nothing that stays', () => {
    const params = new ParameterStore('bn');
    const bn = new BatchNorm2d(params, 'bn', 2);
    const input = x();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.forward(input, true), tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 2, 2]))) as tf.Scalar, [bn.gamma, bn.beta]);
        expect(Object.keys(grads).sort()).toEqual([bn.beta.name, bn.gamma.name].sort());
      });
      expect(tf.memory().numTensors).toBe(before);
    }
    params.dispose();
    input.dispose();
  });
});
