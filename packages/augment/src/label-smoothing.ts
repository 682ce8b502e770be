import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@yolo-distill/core';
import { z } from 'zod';

/*
 * Label smoothing is a setting of the class targets, not an image augmentation, so it has no
 * `augment.*` type. A sample's labels hold class ids (`[cls, cx, cy, w, h]`); the per-class target
 * vectors it would smooth exist only inside a detection loss, after the assigner has matched
 * anchors or points to boxes. Ultralytics does the same: YOLOv5's `--label-smoothing` becomes
 * `smooth_BCE(eps)` inside ComputeLoss (v8 kept the setting and later dropped it). What this file
 * offers a trainer or loss: the epsilon's schema and the targets it means.
 */

/** `labelSmoothing: 0.1` in a stage or loss config: epsilon in [0, 1], 0 (off) by default. */
export const labelSmoothingEpsilon = z.number().min(0).max(1).default(0);

/** BCE class targets after smoothing: `positive` for the true class, `negative` for the others. */
export interface SmoothedTargets {
  readonly positive: number;
  readonly negative: number;
}

function checkEpsilon(epsilon: number): void {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`label smoothing epsilon must be in [0, 1], got ${epsilon}`);
}

/** Ultralytics' `smooth_BCE(eps)`: `1 - eps/2` and `eps/2` (`cp`, `cn` of YOLOv5's ComputeLoss). */
export function smoothBceTargets(epsilon: number): SmoothedTargets {
  checkEpsilon(epsilon);
  return { positive: 1 - 0.5 * epsilon, negative: 0.5 * epsilon };
}

/** A tensor of 0/1 (or soft) class targets smoothed the same way: `y·(1 - eps) + eps/2`. */
export function smoothClassTargets(targets: Tensor, epsilon: number): Tensor {
  checkEpsilon(epsilon);
  return tf.tidy(() => tf.add(tf.mul(targets, 1 - epsilon), 0.5 * epsilon));
}
