import * as tf from '@tensorflow/tfjs-core';
import { channelAffine } from './channel-ops.js';

/** The activations a fused Conv-BN-act layer can end in (the yolo package's `Activation` has this shape). */
export type FusedActivation =
  | { readonly kind: 'silu' }
  | { readonly kind: 'leaky-relu'; readonly alpha: number }
  | { readonly kind: 'relu' }
  | { readonly kind: 'identity' };

/**
 * `act(z * scale + shift)` per channel, and the tensors the backward needs: SiLU keeps the BN output
 * `n`, `sigmoid(n)` and the output; the (leaky) ReLUs keep their output, whose sign is that of `n`.
 */
export function applyFusedActivation(z: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D, activation: FusedActivation): { value: tf.Tensor4D; saved: tf.Tensor[] } {
  switch (activation.kind) {
    case 'silu': {
      const n = channelAffine(z, scale, shift);
      const s = tf.sigmoid(n);
      const y = tf.mul(n, s) as tf.Tensor4D;
      return { value: y, saved: [n, s, y] };
    }
    case 'leaky-relu': {
      const y = channelAffine(z, scale, shift, 'leakyrelu', activation.alpha);
      return { value: y, saved: [y] };
    }
    case 'relu': {
      const y = channelAffine(z, scale, shift, 'relu');
      return { value: y, saved: [y] };
    }
    case 'identity':
      return { value: channelAffine(z, scale, shift), saved: [] };
  }
}

/** The gradient at the BN output from the gradient at the activation's output. */
export function activationGradient(dy: tf.Tensor4D, activation: FusedActivation, saved: readonly tf.Tensor[]): tf.Tensor4D {
  switch (activation.kind) {
    case 'silu': {
      // d(n * s)/dn = s * (1 + n * (1 - s)) = s * (1 + n - y)
      const [n, s, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      return tf.mul(dy, tf.mul(s, tf.add(tf.sub(n, y), 1)));
    }
    case 'leaky-relu':
      // step(y, alpha): 1 where y > 0, alpha elsewhere (tfjs' LeakyRelu gradient gives alpha at 0 too).
      return tf.mul(dy, tf.step(saved[0] as tf.Tensor4D, activation.alpha));
    case 'relu':
      return tf.mul(dy, tf.step(saved[0] as tf.Tensor4D, 0));
    case 'identity':
      return dy;
  }
}
