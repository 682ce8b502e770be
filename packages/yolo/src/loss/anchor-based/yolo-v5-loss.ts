/**
 * The YOLOv5 detection loss, as ultralytics/yolov5 `utils/loss.py` `ComputeLoss.__call__` computes it:
 * per level, CIoU box loss and BCE class loss on the matched predictions, BCE objectness over all
 * predictions against the detached, clamped IoU, weighted by the level's balance; then the gains, and the
 * total times the batch size.
 */
import * as tf from '@tensorflow/tfjs-core';
import { boxIoU } from '../../boxes/box-iou.js';
import { stopGradient } from '../../tensor/stop-gradient.js';
import { bceWithLogits } from './bce-with-logits.js';
import { buildTargets, type LevelGrid, type LevelTargets, type YoloTargets } from './build-targets.js';
import { objectnessSlots, predictionRows } from './flat-index.js';
import { resolveYoloV5LossConfig, type YoloV5LossConfig, type YoloV5LossOptions } from './loss-config.js';

/** The three terms, each already multiplied by its gain (not by the batch size). */
export interface YoloV5LossTerms {
  readonly box: tf.Scalar;
  readonly obj: tf.Scalar;
  readonly cls: tf.Scalar;
}

export interface YoloV5LossOutput {
  /** `(box + obj + cls) * batchSize`, what upstream returns as the loss to back-propagate. */
  readonly total: tf.Scalar;
  readonly terms: YoloV5LossTerms;
}

/** Soft class targets of one call: label smoothing, the teacher's raw levels and how much of them to mix in. */
export interface SoftClassTargets {
  readonly labelSmoothing?: number;
  readonly teacher?: { readonly head: readonly tf.Tensor[]; readonly mix: number };
}

/** A loss bound to its resolved config. */
export interface YoloV5Loss {
  readonly config: YoloV5LossConfig;
  compute(levels: readonly tf.Tensor4D[], targets: YoloTargets, soft?: SoftClassTargets): YoloV5LossOutput;
}

/** Reads the grid of every level and checks its channels against the anchors and class count. */
export function levelGrids(levels: readonly tf.Tensor4D[], config: YoloV5LossConfig): LevelGrid[] {
  if (levels.length !== config.anchors.length) {
    throw new Error(`yolov5 loss: got ${levels.length} prediction levels; the anchors describe ${config.anchors.length}`);
  }
  const numAnchors = config.anchors[0]?.length ?? 0;
  const channels = numAnchors * (5 + config.numClasses);
  return levels.map((level, i) => {
    const [batch, height, width, depth] = level.shape;
    if (depth !== channels) {
      throw new Error(`yolov5 loss: level ${i} has ${depth} channels; ${numAnchors} anchors x (5 + ${config.numClasses} classes) need ${channels}`);
    }
    if (batch !== levels[0]?.shape[0]) throw new Error(`yolov5 loss: level ${i} has batch ${batch} but level 0 has ${levels[0]?.shape[0]}`);
    return { batch, height, width };
  });
}

interface LevelTerms {
  readonly box: tf.Scalar;
  readonly obj: tf.Scalar;
  readonly cls: tf.Scalar;
}

interface LevelSoftTargets {
  readonly labelSmoothing?: number;
  readonly teacher: tf.Tensor | undefined;
  readonly mix: number;
}

/** One level's box, obj (times its balance) and cls terms, before the gains. Call inside a tidy. */
function levelTerms(level: tf.Tensor4D, grid: LevelGrid, matches: LevelTargets, balance: number, config: YoloV5LossConfig, soft: LevelSoftTargets): LevelTerms {
  const { numClasses, hyp, iouRatio } = config;
  const classTargets = soft.labelSmoothing === undefined ? config.classTargets : { positive: 1 - 0.5 * soft.labelSmoothing, negative: 0.5 * soft.labelSmoothing };
  const numAnchors = config.anchors[0]?.length ?? 0;
  const totalRows = grid.batch * grid.height * grid.width * numAnchors;
  const flat = tf.reshape(level, [totalRows, 5 + numClasses]);
  const objLogits = tf.reshape(tf.slice(flat, [0, 4], [totalRows, 1]), [totalRows]);
  const objOptions = { posWeight: hyp.objPw, focalGamma: hyp.flGamma };
  const n = matches.count;
  if (n === 0) {
    const obj = tf.mul(bceWithLogits(objLogits, tf.zeros([totalRows]), objOptions), balance) as tf.Scalar;
    return { box: tf.scalar(0), obj, cls: tf.scalar(0) };
  }

  const rows = predictionRows(matches, grid, numAnchors);
  const picked = tf.gather(flat, tf.tensor1d(rows, 'int32'));
  // Regression: pxy = sigmoid * 2 - 0.5 (cell units), pwh = (sigmoid * 2)^2 * anchor (grid units).
  const pxy = tf.sub(tf.mul(tf.sigmoid(tf.slice(picked, [0, 0], [n, 2])), 2), 0.5);
  const pwh = tf.mul(tf.square(tf.mul(tf.sigmoid(tf.slice(picked, [0, 2], [n, 2])), 2)), tf.tensor2d(matches.anchorSize, [n, 2]));
  const iou = tf.reshape(boxIoU(tf.concat([pxy, pwh], 1), tf.tensor2d(matches.box, [n, 4]), { format: 'xywh', kind: 'ciou' }), [n]);
  const box = tf.mean(tf.sub(1, iou)) as tf.Scalar;

  // Objectness target: the detached CIoU clamped at 0, mixed with 1 by gr, at the matched rows; 0 elsewhere.
  let iouTarget = tf.maximum(stopGradient(iou), 0);
  if (iouRatio < 1) iouTarget = tf.add(1 - iouRatio, tf.mul(iouRatio, iouTarget));
  const tobj = tf.gather(tf.concat([tf.zeros([1]), iouTarget]), tf.tensor1d(objectnessSlots(rows, totalRows), 'int32'));
  const obj = tf.mul(bceWithLogits(objLogits, tobj, objOptions), balance) as tf.Scalar;

  if (numClasses === 1) return { box, obj, cls: tf.scalar(0) }; // upstream skips the class loss for one class
  const classTarget = new Float32Array(n * numClasses).fill(classTargets.negative);
  matches.cls.forEach((cls, k) => {
    classTarget[k * numClasses + cls] = classTargets.positive;
  });
  const classLogits = tf.slice(picked, [0, 5], [n, numClasses]);
  let target: tf.Tensor = tf.tensor2d(classTarget, [n, numClasses]);
  if (soft.teacher && soft.mix > 0) {
    // The teacher's class probabilities at the same rows (same layout), mixed into the targets.
    const teacherRows = tf.gather(tf.reshape(stopGradient(soft.teacher), [totalRows, 5 + numClasses]), tf.tensor1d(rows, 'int32'));
    const teacherProbs = tf.sigmoid(tf.slice(teacherRows, [0, 5], [n, numClasses]));
    target = tf.add(tf.mul(target, 1 - soft.mix), tf.mul(teacherProbs, soft.mix));
  }
  const cls = bceWithLogits(classLogits, target, { posWeight: hyp.clsPw, focalGamma: hyp.flGamma });
  return { box, obj, cls };
}

/**
 * The YOLOv5 loss of raw Detect outputs `levels` (NHWC [B, H, W, na*(5+nc)], channel a*(5+nc)+k is
 * anchor a, field k of x, y, w, h, obj, classes) against `targets`. Gradients flow to every level tensor;
 * the returned tensors are the only ones left allocated.
 */
export function computeYoloV5Loss(levels: readonly tf.Tensor4D[], targets: YoloTargets, config: YoloV5LossConfig, soft: SoftClassTargets = {}): YoloV5LossOutput {
  const grids = levelGrids(levels, config);
  const teacher = soft.teacher;
  if (teacher) {
    levels.forEach((level, i) => {
      const t = teacher.head[i];
      if (!t || t.shape.join('x') !== level.shape.join('x')) {
        throw new Error(`yolov5 loss: teacherMix needs the teacher's head in the student's layout; level ${i} is [${level.shape.join(', ')}], the teacher's [${t?.shape.join(', ') ?? 'missing'}]`);
      }
    });
  }
  const matches = buildTargets(targets, grids, { numClasses: config.numClasses, anchors: config.anchors, anchorT: config.hyp.anchorT });
  return computeMatchedLoss(levels, grids, matches, config, soft);
}

/**
 * The loss terms of `ComputeLoss.__call__` for matches already made (per level: image, anchor, cell, class,
 * target box relative to the cell, anchor size): yolov5's matches come from `buildTargets`, yolov7's
 * ComputeLossOTA computes the same terms for the matches its SimOTA assignment keeps.
 */
export function computeMatchedLoss(
  levels: readonly tf.Tensor4D[],
  grids: readonly LevelGrid[],
  matches: readonly LevelTargets[],
  config: YoloV5LossConfig,
  soft: SoftClassTargets = {},
): YoloV5LossOutput {
  const teacher = soft.teacher;
  const [total, box, obj, cls] = tf.tidy(() => {
    let lbox: tf.Scalar = tf.scalar(0);
    let lobj: tf.Scalar = tf.scalar(0);
    let lcls: tf.Scalar = tf.scalar(0);
    levels.forEach((level, i) => {
      const levelSoft: LevelSoftTargets = { ...(soft.labelSmoothing === undefined ? {} : { labelSmoothing: soft.labelSmoothing }), teacher: teacher?.head[i], mix: teacher?.mix ?? 0 };
      const terms = levelTerms(level, grids[i] as LevelGrid, matches[i] as LevelTargets, config.balance[i] as number, config, levelSoft);
      lbox = tf.add(lbox, terms.box);
      lobj = tf.add(lobj, terms.obj);
      lcls = tf.add(lcls, terms.cls);
    });
    const boxTerm = tf.mul(lbox, config.gains.box) as tf.Scalar;
    const objTerm = tf.mul(lobj, config.gains.obj) as tf.Scalar;
    const clsTerm = tf.mul(lcls, config.gains.cls) as tf.Scalar;
    const batch = grids[grids.length - 1]?.batch ?? 0;
    const sum = tf.mul(tf.add(tf.add(boxTerm, objTerm), clsTerm), batch) as tf.Scalar;
    return [sum, boxTerm, objTerm, clsTerm];
  });
  return { total: total as tf.Scalar, terms: { box: box as tf.Scalar, obj: obj as tf.Scalar, cls: cls as tf.Scalar } };
}

/** Resolves `options` once (v5 defaults, `train.py` gain scaling) and returns the loss bound to that config. */
export function createYoloV5Loss(options: YoloV5LossOptions): YoloV5Loss {
  const config = resolveYoloV5LossConfig(options);
  return { config, compute: (levels, targets, soft) => computeYoloV5Loss(levels, targets, config, soft) };
}
