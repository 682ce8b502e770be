import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@yolo-distill/yolo';
import { bceWithLogits } from './terms.js';

/**
 * torchvision's `sigmoid_focal_loss` (Lin et al.), elementwise, for binary targets:
 * p_t = p t + (1 - p)(1 - t), loss = alpha_t (1 - p_t)^gamma BCE(x, t), alpha_t = alpha t + (1 - alpha)(1 - t);
 * alpha < 0 switches the balancing off, as in torchvision.
 */
export function sigmoidFocalLoss(logits: tf.Tensor, targets: tf.Tensor, options: { gamma: number; alpha: number }): tf.Tensor {
  return tf.tidy(() => {
    const t = stopGradient(targets);
    const p = tf.sigmoid(logits);
    const ce = bceWithLogits(logits, t);
    const pT = tf.add(tf.mul(p, t), tf.mul(tf.sub(1, p), tf.sub(1, t)));
    const loss = tf.mul(ce, tf.pow(tf.sub(1, pT), options.gamma));
    if (options.alpha < 0) return loss;
    return tf.mul(loss, tf.add(tf.mul(t, options.alpha), tf.mul(tf.sub(1, t), 1 - options.alpha)));
  });
}

/** Quality focal loss (GFL, Li et al. 2020) for soft targets q, elementwise: |q - sigmoid(x)|^beta BCE(x, q). */
export function qualityFocalLoss(logits: tf.Tensor, targets: tf.Tensor, options: { beta: number }): tf.Tensor {
  return tf.tidy(() => {
    const q = stopGradient(targets);
    return tf.mul(tf.pow(tf.abs(tf.sub(q, tf.sigmoid(logits))), options.beta), bceWithLogits(logits, q));
  });
}

export type ObjectnessLoss =
  | { readonly type: 'bce' }
  | { readonly type: 'focal'; readonly gamma: number; readonly alpha: number; readonly threshold: number }
  | { readonly type: 'qfl'; readonly beta: number };

/**
 * Student objectness logits against the teacher's objectness probabilities, elementwise: BCE on the
 * soft targets (Mehta & Ozturk), focal on targets binarised at `threshold` (PaddleDetection's
 * `tobj > 0`, i.e. 0.5), or quality focal on the soft targets.
 */
export function objectnessLoss(logits: tf.Tensor, teacherProb: tf.Tensor, loss: ObjectnessLoss): tf.Tensor {
  return tf.tidy(() => {
    if (loss.type === 'bce') return bceWithLogits(logits, stopGradient(teacherProb));
    if (loss.type === 'qfl') return qualityFocalLoss(logits, teacherProb, loss);
    const binary = tf.cast(tf.greater(stopGradient(teacherProb), loss.threshold), 'float32');
    return sigmoidFocalLoss(logits, binary, loss);
  });
}
