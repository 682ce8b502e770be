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

/**
 * The scale `clipByGlobalNorm` applies: min(1, maxNorm / (norm + 1e-6)), or 1 when `maxNorm` is not a
 * positive finite number (no clipping).
 */
export function clipScale(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return 1;
  return Math.min(1, maxNorm / (norm + 1e-6));
}

/**
 * The tensor path's clip-then-update: clips the present gradients by their global norm, hands them to
 * `update` in place of the originals (undefined stays undefined), disposes the clipped copies and
 * returns the norm before clipping (read with one sync).
 */
export function withClippedGradients(grads: readonly (Tensor | undefined)[], maxNorm: number, update: (clipped: readonly (Tensor | undefined)[]) => void): number {
  const present = grads.filter((g): g is Tensor => g !== undefined);
  if (present.length === 0) {
    update(grads);
    return 0;
  }
  const { grads: clipped, norm } = clipByGlobalNorm(present, maxNorm);
  try {
    let k = 0;
    update(grads.map((g) => (g === undefined ? undefined : clipped[k++])));
    return norm.dataSync()[0] as number;
  } finally {
    tf.dispose([norm, ...clipped]);
  }
}
