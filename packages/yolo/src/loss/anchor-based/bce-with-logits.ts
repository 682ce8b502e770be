import * as tf from '@tensorflow/tfjs-core';

export interface BinaryLossOptions {
  /** PyTorch `BCEWithLogitsLoss(pos_weight=...)`: the weight of the positive (y) part. Default 1. */
  readonly posWeight?: number;
  /** > 0 wraps the loss in yolov5's `FocalLoss` (the TF-addons form) with this gamma. Default 0. */
  readonly focalGamma?: number;
  /** The focal alpha; yolov5's `ComputeLoss` builds `FocalLoss(bce, gamma)`, i.e. alpha 0.25. */
  readonly focalAlpha?: number;
}

/**
 * Mean binary cross-entropy on logits, element-wise
 * `posWeight * y * softplus(-x) + (1 - y) * softplus(x)` (= PyTorch's `BCEWithLogitsLoss` with `pos_weight`),
 * optionally times the focal factor `(y*alpha + (1-y)*(1-alpha)) * (1 - p_t)^gamma` with
 * `p_t = y*sigmoid(x) + (1-y)*(1-sigmoid(x))`. Softplus keeps it stable for large |x| and, unlike the
 * `relu(x) - x*y + log1p(exp(-|x|))` form, gives tfjs the right gradient at x = 0.
 */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor, options: BinaryLossOptions = {}): tf.Scalar {
  const { posWeight = 1, focalGamma = 0, focalAlpha = 0.25 } = options;
  return tf.tidy(() => {
    const negatives = tf.sub(1, targets);
    const positivePart = tf.mul(posWeight === 1 ? targets : tf.mul(targets, posWeight), tf.softplus(tf.neg(logits)));
    let loss = tf.add(positivePart, tf.mul(negatives, tf.softplus(logits)));
    if (focalGamma > 0) {
      const p = tf.sigmoid(logits);
      const pT = tf.add(tf.mul(targets, p), tf.mul(negatives, tf.sub(1, p)));
      const alphaFactor = tf.add(tf.mul(targets, focalAlpha), tf.mul(negatives, 1 - focalAlpha));
      loss = tf.mul(loss, tf.mul(alphaFactor, tf.pow(tf.sub(1, pT), focalGamma)));
    }
    return tf.mean(loss);
  });
}
