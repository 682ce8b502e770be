import * as tf from '@tensorflow/tfjs-core';

const blocked = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);

/** The value of `x`, through which no gradient flows (PyTorch's `.detach()`; tfjs has no such op). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return blocked(x) as T;
}
