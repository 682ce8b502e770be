import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { gatherRows } from './gather-rows.js';

describe('gatherRows', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('picks rows like tf.gather and sends each row its gradient back, zero elsewhere', async () => {
    const x = tf.tensor3d(Array.from({ length: 5 * 2 * 3 }, (_, i) => i), [5, 2, 3]);
    const rows = new Int32Array([3, 0, 4]);
    expect(await gatherRows(x, rows).array()).toEqual(await tf.gather(x, rows).array());
    const weights = tf.tensor3d(Array.from({ length: 3 * 2 * 3 }, (_, i) => i + 1), [3, 2, 3]);
    const ours = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gatherRows(v, rows), weights)))(x);
    const reference = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, tf.tensor1d(rows, 'int32')), weights)))(x);
    expect(await ours.array()).toEqual(await reference.array());
  });

  it('creates no lasting tensors in forward and backward', () => {
    const x = tf.variable(tf.ones([6, 4]));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(gatherRows(x, new Int32Array([1, 5]))), [x]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
