import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-channel mean over batch and space as one average pool over the map seen as one `[1, N*H, W, C]`
 * image: the backends' pooling does in one pass what their Sum over leading axes does after a full
 * transpose, and a GEMM with a row of ones would first pack the map as its weights (both measured 4-10x
 * slower on wasm). Returns `[C]`.
 */
export function channelMean(x: tf.Tensor4D): tf.Tensor1D {
  const [b, h, w, c] = x.shape;
  if (b * h * w === 1) return tf.reshape(x, [c]);
  const image = tf.reshape(x, [1, b * h, w, c]);
  const pooled = tf.engine().runKernel<tf.Tensor4D>('AvgPool', { x: image }, { filterSize: [b * h, w], strides: [1, 1], pad: 'valid' });
  return tf.reshape(pooled, [c]);
}

/**
 * `x * scale + shift` per channel (`scale`, `shift`: `[C]`, `shift` not a reshape: the wasm kernel
 * checks the rank its data was made with) as one 1x1 depthwise conv, with an optional fused
 * activation. The kernel is called directly: the op wraps it in a customGrad that is not needed here.
 */
export function channelAffine(x: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D, activation: 'linear' | 'relu' | 'leakyrelu' = 'linear', leakyreluAlpha = 0): tf.Tensor4D {
  const c = x.shape[3];
  return tf.engine().runKernel('FusedDepthwiseConv2D', { x, filter: tf.reshape(scale, [1, 1, c, 1]), bias: shift }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
    activation,
    leakyreluAlpha,
  });
}
