import * as tf from '@tensorflow/tfjs-core';

/**
 * Distribution focal loss (Ultralytics' `DFLoss`): for logits [N, 4, regMax] and target distances
 * [N, 4] (grid units), each target is clamped to [0, regMax - 1 - 0.01] and split between its two
 * neighbouring bins, tl = floor(t) with weight tl + 1 - t and tl + 1 with the rest; the loss is the
 * weighted cross-entropy of those two bins, averaged over the 4 sides. Returns [N, 1].
 */
export function distributionFocalLoss(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const regMax = logits.shape[logits.shape.length - 1] as number;
    const target = tf.clipByValue(targets, 0, regMax - 1 - 0.01);
    const left = tf.floor(target);
    const weightLeft = tf.expandDims(tf.sub(tf.add(left, 1), target), -1);
    const weightRight = tf.sub(1, weightLeft);
    const leftIndex = tf.cast(left, 'int32');
    const binWeights = tf.add(
      tf.mul(tf.oneHot(leftIndex, regMax, 1, 0, 'float32'), weightLeft),
      tf.mul(tf.oneHot(tf.add(leftIndex, tf.scalar(1, 'int32')), regMax, 1, 0, 'float32'), weightRight),
    );
    const crossEntropy = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits, -1), binWeights), -1));
    return tf.mean(crossEntropy, -1, true);
  });
}
