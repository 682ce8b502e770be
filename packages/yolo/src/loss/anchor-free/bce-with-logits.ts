import * as tf from '@tensorflow/tfjs-core';

/**
 * Element-wise binary cross-entropy on logits (PyTorch's `BCEWithLogitsLoss(reduction='none')`):
 * softplus(x) - x * t, stable for large |x|, with gradient sigmoid(x) - t everywhere (also at 0).
 */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.softplus(logits), tf.mul(logits, targets)));
}
