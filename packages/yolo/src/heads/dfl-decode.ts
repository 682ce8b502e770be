import * as tf from '@tensorflow/tfjs-core';
import type { DflHeadSpec } from './head-spec.js';

/** Raw DFL levels NHWC `[B, H, W, C]` joined as `[B, N, C]`, rows level > y > x. */
export function flattenLevels(head: readonly tf.Tensor4D[]): tf.Tensor3D {
  return tf.tidy(() => tf.concat(head.map((raw) => tf.reshape(raw, [raw.shape[0], raw.shape[1] * raw.shape[2], raw.shape[3]])), 1) as tf.Tensor3D);
}

/**
 * Ultralytics' `make_anchors(feats, strides, 0.5)`: cell centres `(x + 0.5, y + 0.5)` in grid units
 * `[N, 2]` and each row's stride `[N, 1]`, rows level > y > x.
 */
export function anchorPoints(sizes: readonly (readonly [number, number])[], strides: readonly number[]): { points: tf.Tensor2D; strides: tf.Tensor2D } {
  const total = sizes.reduce((sum, [h, w]) => sum + h * w, 0);
  const points = new Float32Array(total * 2);
  const rowStrides = new Float32Array(total);
  let row = 0;
  sizes.forEach(([h, w], level) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, row++) {
        points[row * 2] = x + 0.5;
        points[row * 2 + 1] = y + 0.5;
        rowStrides[row] = strides[level] as number;
      }
    }
  });
  return { points: tf.tensor2d(points, [total, 2]), strides: tf.tensor2d(rowStrides, [total, 1]) };
}

/**
 * Distances `[B, N, 4]` (l, t, r, b in grid units) from box logits `[B, N, 4 * regMax]`: softmax over
 * each side's bins, then the expectation with the DFL projection (0..regMax-1).
 */
export function dflDistances(boxLogits: tf.Tensor3D, regMax: number, projection?: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, n] = boxLogits.shape;
    const probabilities = tf.softmax(tf.reshape(boxLogits, [b * n * 4, regMax]));
    const weights = projection ? tf.reshape(projection, [regMax, 1]) : tf.reshape(tf.range(0, regMax, 1, 'float32'), [regMax, 1]);
    return tf.reshape(tf.matMul(probabilities, weights), [b, n, 4]);
  });
}

/**
 * Decodes DFL raw outputs to `[B, N, 4 + nc]`: `cx, cy, w, h` in input pixels (`dist2bbox` with
 * xywh, times the stride), then class sigmoids; rows level > y > x.
 */
export function decodeDfl(head: readonly tf.Tensor4D[], spec: DflHeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const flat = flattenLevels(head);
    const [b, n] = flat.shape;
    const boxChannels = 4 * spec.regMax;
    const distances = dflDistances(tf.slice(flat, [0, 0, 0], [b, n, boxChannels]), spec.regMax, projection);
    const grid = anchorPoints(
      head.map((raw) => [raw.shape[1], raw.shape[2]] as const),
      spec.strides,
    );
    const lt = tf.slice(distances, [0, 0, 0], [b, n, 2]);
    const rb = tf.slice(distances, [0, 0, 2], [b, n, 2]);
    const x1y1 = tf.sub(grid.points, lt);
    const x2y2 = tf.add(grid.points, rb);
    const centre = tf.div(tf.add(x1y1, x2y2), 2);
    const size = tf.sub(x2y2, x1y1);
    const boxes = tf.mul(tf.concat([centre, size], 2), grid.strides);
    const scores = tf.sigmoid(tf.slice(flat, [0, 0, boxChannels], [b, n, spec.numClasses]));
    return tf.concat([boxes, scores], 2) as tf.Tensor3D;
  });
}

/** YOLOv8's exported layout of {@link decodeDfl}: channel-first `[B, 4 + nc, N]`, as its ONNX `output0`. */
export function decodeDflAsExported(head: readonly tf.Tensor4D[], spec: DflHeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => tf.transpose(decodeDfl(head, spec, projection), [0, 2, 1]));
}
