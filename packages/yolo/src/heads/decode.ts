import * as tf from '@tensorflow/tfjs-core';
import { decodeAnchorBased } from './anchor-decode.js';
import { decodeDfl, decodeDflAsExported } from './dfl-decode.js';
import type { HeadSpec } from './head-spec.js';

/**
 * Decoded detections in one layout for every head: `[B, N, 4 + nc]`, `cx, cy, w, h` in input pixels,
 * then per-class confidence (anchor-based: sigmoid(obj) * sigmoid(cls); DFL: sigmoid(cls)); rows
 * level > (anchor >) y > x.
 */
export function decodeDetections(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  if (spec.kind === 'anchor-free') return decodeDfl(head, spec, projection);
  return tf.tidy(() => {
    const decoded = decodeAnchorBased(head, spec);
    const [b, n] = decoded.shape;
    const boxes = tf.slice(decoded, [0, 0, 0], [b, n, 4]);
    const objectness = tf.slice(decoded, [0, 0, 4], [b, n, 1]);
    const classes = tf.slice(decoded, [0, 0, 5], [b, n, spec.numClasses]);
    return tf.concat([boxes, tf.mul(objectness, classes)], 2) as tf.Tensor3D;
  });
}

/**
 * Decoded output in the layout of the version's own ONNX export: anchor-based `[B, N, 5 + nc]`
 * (yolov5 `output0`, with the objectness column); DFL `[B, 4 + nc, N]` (YOLOv8 `output0`).
 */
export function decodeAsExported(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  return spec.kind === 'anchor-free' ? decodeDflAsExported(head, spec, projection) : decodeAnchorBased(head, spec);
}
