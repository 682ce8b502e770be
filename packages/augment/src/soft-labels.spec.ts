import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { mixSoftLabels } from './soft-labels.js';

describe('mixSoftLabels', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('is (1 - lambda)·hard + lambda·teacher', async () => {
    const hard = tf.tensor2d([[0, 1, 0]]);
    const teacher = tf.tensor2d([[0.2, 0.6, 0.4]]);
    const at = async (lambda: number) => {
      const mixed = mixSoftLabels(hard, teacher, lambda);
      const values = Array.from(await mixed.data());
      mixed.dispose();
      return values;
    };
    (await at(0.25)).forEach((v, i) => expect(v).toBeCloseTo([0.05, 0.9, 0.1][i]!, 6));
    expect(await at(0)).toEqual([0, 1, 0]);
    (await at(1)).forEach((v, i) => expect(v).toBeCloseTo([0.2, 0.6, 0.4][i]!, 6));
    tf.dispose([hard, teacher]);
  });

  it('passes gradients to the teacher term scaled by lambda', async () => {
    const hard = tf.tensor1d([1, 0]);
    const grad = tf.grad((teacher: tf.Tensor) => tf.sum(mixSoftLabels(hard, teacher, 0.3)))(tf.tensor1d([0.5, 0.5]));
    Array.from(await grad.data()).forEach((v) => expect(v).toBeCloseTo(0.3, 6));
    tf.dispose([hard, grad]);
  });

  it('leaves only its result behind', () => {
    const hard = tf.tensor1d([1, 0]);
    const teacher = tf.tensor1d([0.5, 0.5]);
    const before = tf.memory().numTensors;
    const mixed = mixSoftLabels(hard, teacher, 0.5);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([hard, teacher, mixed]);
  });

  it('refuses a lambda outside [0, 1] and tensors of different shapes', () => {
    const hard = tf.tensor2d([[0, 1]]);
    const teacher = tf.tensor2d([[0.5], [0.5]]);
    expect(() => mixSoftLabels(hard, hard, 1.2)).toThrow('mixSoftLabels: lambda must be in [0, 1], got 1.2');
    expect(() => mixSoftLabels(hard, teacher, 0.5)).toThrow('mixSoftLabels: hard targets [1, 2] and teacher probabilities [2, 1] differ in shape');
    tf.dispose([hard, teacher]);
  });
});
