import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.js';
import { eagerCustomGrad, lazyCustomGrad } from './lazy-custom-grad.js';

/** a * b with a hand-written gradient that records which inputs it was asked for. */
function product(a: tf.Tensor, b: tf.Tensor, asked: string[], run = (f: Parameters<typeof eagerCustomGrad>[1]) => lazyCustomGrad('TestProduct', [a, b], f)): tf.Tensor {
  return run((save) => {
    save([a, b]);
    return {
      value: tf.mul(a, b),
      gradients: (dy, [sa, sb]) => [
        () => (asked.push('a'), tf.mul(dy, sb as tf.Tensor)),
        () => (asked.push('b'), tf.mul(dy, sa as tf.Tensor)),
      ],
    };
  });
}

describe('lazyCustomGrad', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('computes only the gradients the tape needs, and the right ones', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.variable(tf.tensor1d([4, 5, 6]));
    const asked: string[] = [];
    const { grads } = tf.variableGrads(() => tf.sum(product(a, b, asked)) as tf.Scalar, [b]);
    expect(asked).toEqual(['b']);
    expect(Array.from(grads[b.name]!.dataSync())).toEqual([1, 2, 3]);
    const both: string[] = [];
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(product(x, y, both))))([a, b]);
    expect(both.sort()).toEqual(['a', 'b']);
    expect(Array.from(da!.dataSync())).toEqual([2 * 1 * 16, 2 * 2 * 25, 2 * 3 * 36]);
    expect(Array.from(db!.dataSync())).toEqual([2 * 4 * 1, 2 * 5 * 4, 2 * 6 * 9]);
    tf.dispose([a, b, da!, db!, ...Object.values(grads)]);
  });

  it('has an eager fallback through tf.customGrad for engines without runKernelFunc: every gradient, the same values', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([4, 5, 6]);
    const asked: string[] = [];
    const [db] = tf.grads((y: tf.Tensor) => tf.sum(product(a, y, asked, (f) => eagerCustomGrad([a, y], f))))([b]);
    expect(asked.sort()).toEqual(['a', 'b']);
    expect(Array.from(db!.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([a, b, db!]);
  });

  it('keeps nothing when no tape records, and releases what it saved after the backward', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.variable(tf.tensor1d([4, 5, 6]));
    const before = tf.memory().numTensors;
    tf.tidy(() => product(a, b, [])).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const { value, grads } = tf.variableGrads(() => tf.sum(product(a, b, [])) as tf.Scalar, [b]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
