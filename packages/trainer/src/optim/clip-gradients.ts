import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@yolo-distill/core';

/**
 * `torch.nn.utils.clip_grad_norm_`: scales every gradient by min(1, maxNorm / (norm + 1e-6)), where
 * norm is the L2 norm of all gradients together. Returns the clipped gradients and the norm before
 * clipping (a scalar; reading it is the caller's choice, so no sync happens here).
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; norm: Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as Scalar;
    if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return { grads: grads.map((g) => tf.clone(g)), norm };
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return { grads: grads.map((g) => tf.mul(g, scale)), norm };
  });
}
