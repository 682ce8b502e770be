import * as tf from '@tensorflow/tfjs-core';
import type { AnchorHeadSpec } from './head-spec.js';

/** One raw anchor-based level NHWC `[B, H, W, na * no]` as `[B, na, H, W, no]` (yolov5's `view + permute`). */
export function anchorLevelView(raw: tf.Tensor4D, numAnchors: number): tf.Tensor5D {
  const [b, h, w, c] = raw.shape;
  return tf.transpose(tf.reshape(raw, [b, h, w, numAnchors, c / numAnchors]), [0, 3, 1, 2, 4]);
}

/** Cell coordinates `[1, 1, H, W, 2]` holding (x, y). */
function cellGrid(h: number, w: number): tf.Tensor5D {
  const values = new Float32Array(h * w * 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      values[(y * w + x) * 2] = x;
      values[(y * w + x) * 2 + 1] = y;
    }
  }
  return tf.tensor5d(values, [1, 1, h, w, 2]);
}

/**
 * Decodes anchor-based raw outputs exactly as yolov5's exported `Detect` does: `[B, N, 5 + nc]`, rows
 * level > anchor > y > x, columns `cx, cy, w, h` (input pixels), objectness, class scores (sigmoids).
 * `xy = (sigmoid * 2 - 0.5 + cell) * stride`, `wh = (sigmoid * 2)^2 * anchor`.
 */
export function decodeAnchorBased(head: readonly tf.Tensor4D[], spec: AnchorHeadSpec): tf.Tensor3D {
  return tf.tidy(() => {
    const levels = head.map((raw, i) => {
      const anchors = spec.anchors[i] ?? [];
      const stride = spec.strides[i] as number;
      const na = anchors.length;
      const [b, h, w] = raw.shape;
      const y = tf.sigmoid(anchorLevelView(raw, na));
      const no = y.shape[4];
      const xy = tf.mul(tf.add(tf.sub(tf.mul(tf.slice(y, [0, 0, 0, 0, 0], [-1, -1, -1, -1, 2]), 2), 0.5), cellGrid(h, w)), stride);
      const anchorWh = tf.tensor5d(anchors.flat(), [1, na, 1, 1, 2]);
      const wh = tf.mul(tf.square(tf.mul(tf.slice(y, [0, 0, 0, 0, 2], [-1, -1, -1, -1, 2]), 2)), anchorWh);
      const rest = tf.slice(y, [0, 0, 0, 0, 4], [-1, -1, -1, -1, no - 4]);
      return tf.reshape(tf.concat([xy, wh, rest], 4), [b, na * h * w, no]);
    });
    return tf.concat(levels, 1) as tf.Tensor3D;
  });
}
