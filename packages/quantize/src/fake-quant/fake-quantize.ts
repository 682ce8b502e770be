import * as tf from '@tensorflow/tfjs-core';
import { integerRange, type QuantParams } from '../quant/quant-params.js';

/**
 * Per-tensor fake quantization, `(clamp(round(x / s) + zp, low, high) - zp) * s` (tf.round rounds half
 * to even, as ONNX QuantizeLinear), with PyTorch's clipped straight-through estimator: the gradient
 * passes unchanged where `round(x / s) + zp` lies inside the integer range and is 0 where it clamps.
 */
export function fakeQuantizeTensor<T extends tf.Tensor>(x: T, p: QuantParams): T {
  const { low, high } = integerRange(p.type);
  const op = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const shifted = tf.add(tf.round(tf.div(t, p.scale)), p.zeroPoint);
    const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(shifted, low), tf.lessEqual(shifted, high)), 'float32');
    save([inside]);
    const value = tf.mul(tf.sub(tf.clipByValue(shifted, low, high), p.zeroPoint), p.scale);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as T;
}

/**
 * Per-output-channel symmetric int8 fake quantization of a tfjs conv kernel `[kh, kw, cin, cout]`:
 * `scale[c] = max|w[..., c]| / 127`, `(clamp(round(w / scale), -127, 127)) * scale`. The scale follows
 * the weights (min-max, nothing learned) and the gradient is the identity (no value ever clamps).
 */
export function fakeQuantizeChannels(w: tf.Tensor4D): tf.Tensor4D {
  const op = tf.customGrad(((kernel: tf.Tensor4D) => {
    const amax = tf.max(tf.abs(kernel), [0, 1, 2]);
    const scale = tf.div(tf.maximum(amax, 1e-12), 127);
    const value = tf.mul(tf.clipByValue(tf.round(tf.div(kernel, scale)), -127, 127), scale);
    return { value, gradFunc: (dy: tf.Tensor) => dy };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(w) as tf.Tensor4D;
}
