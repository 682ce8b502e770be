import type * as tf from '@tensorflow/tfjs-core';
import type { HeadSpec } from './head-spec.js';
import { headKind } from './kinds/head-kinds.js';

/**
 * Decoded detections in one layout for every head: `[B, N, 4 + nc]`, `cx, cy, w, h` in input pixels,
 * then per-class confidence (anchor-based: sigmoid(obj) * sigmoid(cls); DFL: sigmoid(cls)); rows
 * level > (anchor >) y > x. The head's kind entry decodes.
 */
export function decodeDetections(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  return headKind(spec.kind).decode(head, spec, projection);
}

/**
 * Decoded output in the layout of the version's own ONNX export: anchor-based `[B, N, 5 + nc]`
 * (yolov5 `output0`, with the objectness column); DFL `[B, 4 + nc, N]` (YOLOv8 `output0`).
 */
export function decodeAsExported(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D {
  return headKind(spec.kind).decodeAsExported(head, spec, projection);
}
