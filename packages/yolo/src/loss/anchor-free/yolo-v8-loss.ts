/**
 * The YOLOv8 detection loss, as Ultralytics' `v8DetectionLoss` (ultralytics/utils/loss.py) computes
 * it: boxes decoded by the DFL expectation, the task-aligned assigner on detached sigmoid scores and
 * pixel boxes, then BCE class loss / max(sum of target scores, 1), and over the positive anchors the
 * CIoU box loss and DFL, both weighted by the target scores; then the gains, and the total times the
 * batch size.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dist2bbox } from '../../assign/box-distance.js';
import { anchorGrid, type GridSize } from '../../assign/make-anchors.js';
import { TaskAlignedAssigner, type Assignment } from '../../assign/task-aligned-assigner.js';
import { bboxLoss } from './bbox-loss.js';
import { bceWithLogits } from './bce-with-logits.js';
import { decodeDistances } from './distribution-decode.js';
import { gatherRows } from './gather-rows.js';
import { resolveYoloV8LossConfig, type YoloV8LossConfig, type YoloV8LossOptions } from './loss-config.js';
import { padTargets } from './pad-targets.js';

/** Ground-truth boxes of a batch: `count` rows of [imageIndex, class, cx, cy, w, h], box normalised to 0..1. */
export interface DetectionTargets {
  readonly rows: Float32Array;
  readonly count: number;
}

/** The three terms, each already multiplied by its gain (not by the batch size): upstream's `loss_items`. */
export interface YoloV8LossTerms {
  readonly box: tf.Scalar;
  readonly cls: tf.Scalar;
  readonly dfl: tf.Scalar;
}

export interface YoloV8LossOutput {
  /** `(box + cls + dfl) * batchSize`, what upstream returns as the loss to back-propagate. */
  readonly total: tf.Scalar;
  readonly terms: YoloV8LossTerms;
}

/** A loss bound to its resolved config. */
export interface YoloV8Loss {
  readonly config: YoloV8LossConfig;
  compute(levels: readonly tf.Tensor4D[], targets: DetectionTargets): YoloV8LossOutput;
}

/**
 * The loss on raw Detect outputs per level, NHWC [B, H, W, 4 * regMax + nc] (box distribution
 * logits side-major: l bins, t, r, b; then class logits), in the order of `config.strides`.
 * Differentiable in `levels`; the assignment reads their values synchronously (dataSync).
 */
export function computeYoloV8Loss(levels: readonly tf.Tensor4D[], targets: DetectionTargets, config: YoloV8LossConfig): YoloV8LossOutput {
  const { numClasses: nc, regMax, strides, gains } = config;
  const sizes = levelSizes(levels, config);
  const batchSize = levels[0]?.shape[0] as number;
  const [height, width] = config.imageSize;
  const gts = padTargets(targets.rows, targets.count, batchSize, nc, { height, width });
  const grid = anchorGrid(sizes, strides);
  const A = grid.count;
  const assigner = new TaskAlignedAssigner({ ...config.assigner, numClasses: nc });

  return tf.tidy(() => {
    const preds = tf.concat(levels.map((level) => tf.reshape(level, [batchSize, -1, level.shape[3]])), 1);
    const boxLogits = tf.slice(preds, [0, 0, 0], [-1, -1, 4 * regMax]);
    const classLogits = tf.slice(preds, [0, 0, 4 * regMax], [-1, -1, nc]);
    const predBoxes = dist2bbox(decodeDistances(boxLogits, regMax), tf.tensor2d(grid.points, [A, 2])); // [B, A, 4] grid units

    const assignment = assigner.assign({
      batchSize,
      numAnchors: A,
      maxBoxes: gts.maxBoxes,
      predScores: tf.tidy(() => tf.sigmoid(classLogits)).dataSync() as Float32Array,
      predBoxes: tf.tidy(() => tf.mul(predBoxes, tf.tensor2d(grid.strides, [A, 1]))).dataSync() as Float32Array,
      anchorPoints: grid.points.map((v, i) => v * (grid.strides[i >> 1] as number)),
      gtLabels: gts.gtLabels,
      gtBoxes: gts.gtBoxes,
      gtMask: gts.gtMask,
    });
    const targetScoresSum = Math.max(assignment.targetScores.reduce((sum, v) => sum + v, 0), 1);

    const targetScores = tf.tensor3d(assignment.targetScores, [batchSize, A, nc]);
    const cls = tf.div(tf.sum(bceWithLogits(classLogits, targetScores)), targetScoresSum) as tf.Scalar;
    const fg = foreground(assignment, grid.points, grid.strides, A, nc);
    let box = tf.scalar(0);
    let dfl = tf.scalar(0);
    if (fg.count > 0) {
      ({ box, dfl } = bboxLoss(
        {
          predBoxes: gatherRows(tf.reshape(predBoxes, [-1, 4]), fg.index),
          predLogits: gatherRows(tf.reshape(boxLogits, [-1, 4, regMax]), fg.index),
          anchorPoints: tf.tensor2d(fg.anchorPoints, [fg.count, 2]),
          targetBoxes: tf.tensor2d(fg.targetBoxes, [fg.count, 4]),
          weight: tf.tensor2d(fg.weight, [fg.count, 1]),
        },
        targetScoresSum,
      ));
    }
    const terms = { box: tf.mul(box, gains.box) as tf.Scalar, cls: tf.mul(cls, gains.cls) as tf.Scalar, dfl: tf.mul(dfl, gains.dfl) as tf.Scalar };
    const total = tf.mul(tf.addN([terms.box, terms.cls, terms.dfl]), batchSize) as tf.Scalar;
    return { total, terms };
  });
}

/** Resolves `options` once and binds the loss to the result. */
export function createYoloV8Loss(options: YoloV8LossOptions): YoloV8Loss {
  const config = resolveYoloV8LossConfig(options);
  return { config, compute: (levels, targets) => computeYoloV8Loss(levels, targets, config) };
}

/** Grid sizes of the levels, after checking them against each other, the strides, channels and image size. */
function levelSizes(levels: readonly tf.Tensor4D[], config: YoloV8LossConfig): GridSize[] {
  const { strides, regMax, numClasses, imageSize } = config;
  if (levels.length !== strides.length) {
    throw new Error(`yolov8 loss: got ${levels.length} prediction levels but ${strides.length} strides; give one level per stride`);
  }
  const channels = 4 * regMax + numClasses;
  const batch = levels[0]?.shape[0];
  const sizes = levels.map((level, i): GridSize => {
    const [b, h, w, c] = level.shape;
    if (level.rank !== 4 || b !== batch || c !== channels) {
      throw new Error(`yolov8 loss: level ${i} has shape [${level.shape.join(', ')}], expected [${batch}, H, W, ${channels}] (NHWC, 4 * regMax ${regMax} + ${numClasses} classes)`);
    }
    return [h, w];
  });
  const [h0, w0] = sizes[0] as GridSize;
  const s0 = strides[0] as number;
  if (h0 * s0 !== imageSize[0] || w0 * s0 !== imageSize[1]) {
    throw new Error(`yolov8 loss: imageSize ${imageSize[0]}x${imageSize[1]} does not match level 0, ${h0}x${w0} cells at stride ${s0} = ${h0 * s0}x${w0 * s0} px`);
  }
  return sizes;
}

/** The positive anchors' flat indices, anchors, target boxes (grid units of their level) and weights. */
function foreground(assignment: Assignment, points: Float32Array, strides: Float32Array, A: number, nc: number) {
  const index: number[] = [];
  for (let i = 0; i < assignment.fgMask.length; i += 1) if (assignment.fgMask[i]) index.push(i);
  const count = index.length;
  const anchorPoints = new Float32Array(count * 2);
  const targetBoxes = new Float32Array(count * 4);
  const weight = new Float32Array(count);
  index.forEach((flat, p) => {
    const a = flat % A;
    const stride = strides[a] as number;
    anchorPoints.set(points.subarray(a * 2, a * 2 + 2), p * 2);
    for (let k = 0; k < 4; k += 1) targetBoxes[p * 4 + k] = (assignment.targetBoxes[flat * 4 + k] as number) / stride;
    for (let c = 0; c < nc; c += 1) weight[p] = (weight[p] as number) + (assignment.targetScores[flat * nc + c] as number);
  });
  return { index: Int32Array.from(index), count, anchorPoints, targetBoxes, weight };
}
