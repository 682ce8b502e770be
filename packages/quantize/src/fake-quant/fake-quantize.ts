import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@yolo-distill/yolo';
import { integerRange, type QuantParams } from '../quant/quant-params.js';

// The straight-through estimators are written as `x * m + stopGradient(q(x) - x * m)`: the value is
// q(x), the gradient m. (A customGrad that saves its mask would keep that mask alive after every
// forward run outside a gradient tape: tfjs only releases saved tensors when it backpropagates.)

/**
 * Per-tensor fake quantization, `(clamp(round(x / s) + zp, low, high) - zp) * s` (tf.round rounds half
 * to even, as ONNX QuantizeLinear), with PyTorch's clipped straight-through estimator: the gradient
 * passes unchanged where `round(x / s) + zp` lies inside the integer range and is 0 where it clamps.
 */
export function fakeQuantizeTensor<T extends tf.Tensor>(x: T, p: QuantParams): T {
  const { low, high } = integerRange(p.type);
  return tf.tidy(() => {
    const shifted = stopGradient(tf.add(tf.round(tf.div(x, p.scale)), p.zeroPoint));
    const clipped = tf.clipByValue(shifted, low, high);
    // 1 where nothing clamps, else 0, from ops that have gradients (comparisons have none in tfjs).
    const inside = tf.sub(1, tf.sign(tf.abs(tf.sub(shifted, clipped))));
    const value = tf.mul(tf.sub(clipped, p.zeroPoint), p.scale);
    const passed = tf.mul(x, inside);
    return tf.add(passed, stopGradient(tf.sub(value, passed))) as T;
  });
}

/**
 * Per-output-channel symmetric int8 fake quantization of a tfjs conv kernel `[kh, kw, cin, cout]`:
 * `scale[c] = max|w[..., c]| / 127`, `(clamp(round(w / scale), -127, 127)) * scale`. The scale follows
 * the weights (min-max, nothing learned) and the gradient is the identity (no value ever clamps).
 */
export function fakeQuantizeChannels(w: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const kernel = stopGradient(w);
    const scale = tf.div(tf.maximum(tf.max(tf.abs(kernel), [0, 1, 2]), 1e-12), 127);
    const value = tf.mul(tf.clipByValue(tf.round(tf.div(kernel, scale)), -127, 127), scale);
    return tf.add(w, stopGradient(tf.sub(value, w))) as tf.Tensor4D;
  });
}
