import * as tf from '@tensorflow/tfjs-core';

/**
 * DFL decode: box distribution logits [..., 4 * regMax] (side-major: l bins, t, r, b) -> expected
 * distances (l, t, r, b) [..., 4] in grid units: softmax over each side's bins, then sum of
 * probability * bin index (Ultralytics' `bbox_decode` before `dist2bbox`). Differentiable.
 */
export function decodeDistances(logits: tf.Tensor, regMax: number): tf.Tensor {
  return tf.tidy(() => {
    const shape = logits.shape;
    const channels = shape[shape.length - 1];
    if (channels !== 4 * regMax) throw new Error(`decodeDistances: last axis has ${channels} channels, expected 4 * regMax = ${4 * regMax}`);
    const bins = tf.reshape(logits, [...shape.slice(0, -1), 4, regMax]);
    return tf.sum(tf.mul(tf.softmax(bins, -1), tf.range(0, regMax, 1, 'float32')), -1);
  });
}
