import * as tf from '@tensorflow/tfjs-core';
import { boxIoU, stopGradient, type BoxFormat } from '@yolo-distill/yolo';

/**
 * Pure head-distillation terms. Every function takes the student tensor (gradients flow) and the
 * teacher tensor (wrapped in stopGradient here, so callers cannot forget), runs inside tf.tidy and
 * returns a scalar. `weights`, when given, has the shape of one location (the inputs without their
 * last axis) and the result is the weighted mean sum(w * l) / max(sum(w), eps); without it, the plain
 * mean over locations.
 */
export interface TermOptions {
  /** Per-location weights (e.g. a positives mask); shape = inputs without the last axis. */
  readonly weights?: tf.Tensor;
}

const EPS = 1e-9;

/** Mean of `perLocation`, or its weighted mean with weights normalised to sum 1. */
export function weightedMean(perLocation: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (!weights) return tf.mean(perLocation);
    const w = stopGradient(weights);
    return tf.div(tf.sum(tf.mul(perLocation, w)), tf.maximum(tf.sum(w), EPS));
  });
}

/** KL(p_t || p_s) over the last axis, both softmax at temperature tau; per location. */
function softKL(student: tf.Tensor, teacher: tf.Tensor, tau: number): tf.Tensor {
  const logPs = tf.logSoftmax(tf.div(student, tau));
  const logPt = tf.logSoftmax(tf.div(stopGradient(teacher), tau));
  return tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), -1);
}

export interface ClassKLOptions extends TermOptions {
  /** Softmax temperature; the result is scaled by tau^2 (Hinton). Default 3. */
  readonly temperature?: number;
}

/** Class KL: tau^2 * mean_loc KL(softmax(t/tau) || softmax(s/tau)) over the class logits [..., nc]. */
export function classKL(student: tf.Tensor, teacher: tf.Tensor, options: ClassKLOptions = {}): tf.Scalar {
  const tau = options.temperature ?? 3;
  return tf.tidy(() => tf.mul(weightedMean(softKL(student, teacher, tau), options.weights), tau * tau));
}

/** Elementwise BCE of logits x against soft targets z: max(x,0) - x z + log(1 + exp(-|x|)). */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
  );
}

/**
 * Per-class sigmoid variant: BCE(student logits, sigmoid(teacher / tau)), summed over classes,
 * scaled by tau^2 as the KL is, mean (or weighted mean) over locations. Student logits are also
 * divided by tau so that both sides live at the same temperature.
 */
export function classBCE(student: tf.Tensor, teacher: tf.Tensor, options: ClassKLOptions = {}): tf.Scalar {
  const tau = options.temperature ?? 3;
  return tf.tidy(() => {
    const target = tf.sigmoid(tf.div(stopGradient(teacher), tau));
    const perLoc = tf.sum(bceWithLogits(tf.div(student, tau), target), -1);
    return tf.mul(weightedMean(perLoc, options.weights), tau * tau);
  });
}

export interface FocalOptions extends TermOptions {
  readonly gamma?: number;
  readonly alpha?: number;
}

/**
 * Objectness focal BCE, quality-focal style (GFL's QFL) with alpha balancing:
 *   q = sigmoid(teacher), p = sigmoid(student),
 *   l = alpha_q * |q - p|^gamma * BCE(student, q),   alpha_q = alpha q + (1 - alpha)(1 - q).
 * Inputs are objectness logits of any shape (no class axis); `weights` has the same shape.
 * Defaults gamma 2, alpha 0.25. The focal factor is computed from the student but is not a
 * stop-gradient: like QFL, gradients flow through it.
 */
export function objectnessFocal(student: tf.Tensor, teacher: tf.Tensor, options: FocalOptions = {}): tf.Scalar {
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha ?? 0.25;
  return tf.tidy(() => {
    const q = tf.sigmoid(stopGradient(teacher));
    const p = tf.sigmoid(student);
    const alphaQ = tf.add(tf.mul(q, alpha), tf.mul(tf.sub(1, q), 1 - alpha));
    const focal = tf.pow(tf.abs(tf.sub(q, p)), gamma);
    const perElem = tf.mul(tf.mul(alphaQ, focal), bceWithLogits(student, q));
    return weightedMean(perElem, options.weights);
  });
}

export interface DFLDistillOptions extends TermOptions {
  readonly temperature?: number;
}

/**
 * DFL / localisation distillation (LD): KL between teacher and student softmax over the regMax bins
 * at temperature tau, times tau^2, averaged over the 4 sides. Inputs [..., 4, regMax]; weights [...].
 */
export function dflDistill(student: tf.Tensor, teacher: tf.Tensor, options: DFLDistillOptions = {}): tf.Scalar {
  const tau = options.temperature ?? 1;
  return tf.tidy(() => {
    const perLoc = tf.mean(softKL(student, teacher, tau), -1);
    return tf.mul(weightedMean(perLoc, options.weights), tau * tau);
  });
}

export interface PositivesOptions {
  /** Keep locations whose teacher confidence is >= threshold. */
  readonly threshold?: number;
  /** Keep the k most confident locations (over the whole tensor). */
  readonly topk?: number;
}

/**
 * 0/1 mask (float32, shape of `confidence`) of teacher-confident locations. With both options a
 * location must pass both; with neither, every location is kept. Ties at the k-th value are all kept.
 */
export function positivesMask(confidence: tf.Tensor, options: PositivesOptions = {}): tf.Tensor {
  return tf.tidy(() => {
    const conf = stopGradient(confidence);
    let mask: tf.Tensor = tf.onesLike(conf);
    if (options.threshold !== undefined) mask = tf.mul(mask, tf.cast(tf.greaterEqual(conf, options.threshold), 'float32'));
    if (options.topk !== undefined) {
      const flat = tf.reshape(conf, [-1]);
      const k = Math.max(1, Math.min(options.topk, flat.size));
      const kth = tf.min(tf.topk(flat, k).values);
      mask = tf.mul(mask, tf.cast(tf.greaterEqual(conf, kth), 'float32'));
    }
    return mask;
  });
}

export interface BoxDistillOptions {
  readonly kind?: 'ciou' | 'giou';
  readonly format?: BoxFormat;
  /** Teacher confidence per box (shape = boxes without the last axis): the attention weights. */
  readonly attention?: tf.Tensor;
}

/**
 * Box term: sum_i w_i (1 - IoU_kind(student_i, teacher_i)) with w = attention / sum(attention)
 * (teacher confidence, normalised); without attention, the plain mean. Boxes [..., 4], decoded.
 */
export function boxDistill(student: tf.Tensor, teacher: tf.Tensor, options: BoxDistillOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const iou = boxIoU(student, stopGradient(teacher), { kind: options.kind ?? 'ciou', format: options.format ?? 'xyxy' });
    const perBox = tf.sub(1, tf.reshape(iou, student.shape.slice(0, -1)));
    return weightedMean(perBox, options.attention);
  });
}
