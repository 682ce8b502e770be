import * as tf from '@tensorflow/tfjs-core';
import { boxIoU, stopGradient, type LevelRows } from '@yolo-distill/yolo';
import { boxToDistances } from './level-rows.js';
import { objectnessLoss, type ObjectnessLoss } from './objectness-terms.js';
import type { RowTargets } from './teacher-targets.js';
import { bceWithLogits } from './terms.js';

export interface LevelTermOptions {
  readonly cls: 'bce' | 'kl';
  readonly temperature: number;
  readonly box: 'ciou' | 'giou';
  readonly objectness: ObjectnessLoss;
  readonly dflTemperature: number;
}

/**
 * Per-row terms of one student level, before pooling: `obj` (students with objectness; every row),
 * `cls`, `box` and `dfl` (students with DFL bins), each with the shape of the rows, and the teacher's
 * `weight` per row. Pooled by the caller: obj as a mean per level times the level balance, the rest
 * as sum(weight * term) / sum(weight) over every level.
 */
export interface LevelTerms {
  readonly weight: tf.Tensor;
  readonly obj?: tf.Tensor;
  readonly cls: tf.Tensor;
  readonly box: tf.Tensor;
  readonly dfl?: tf.Tensor;
}

/** Class term per row, mean over classes: BCE against sigmoid(t / tau) of s / tau, or softmax KL; times tau^2. */
function classTerm(student: tf.Tensor, teacherLogits: tf.Tensor, options: LevelTermOptions): tf.Tensor {
  const tau = options.temperature;
  const t = stopGradient(teacherLogits);
  if (options.cls === 'bce') return tf.mul(tf.mean(bceWithLogits(tf.div(student, tau), tf.sigmoid(tf.div(t, tau))), -1), tau * tau);
  const logS = tf.logSoftmax(tf.div(student, tau));
  const logT = tf.logSoftmax(tf.div(t, tau));
  return tf.mul(tf.sum(tf.mul(tf.exp(logT), tf.sub(logT, logS)), -1), tau * tau);
}

function boxTerm(student: tf.Tensor, target: tf.Tensor, kind: 'ciou' | 'giou'): tf.Tensor {
  const iou = boxIoU(student, stopGradient(target), { kind, format: 'xywh' });
  return tf.sub(1, tf.squeeze(iou, [-1]));
}

/** LD: KL between the teacher's and the student's bin distributions at tau, times tau^2, mean over the 4 sides. */
function localisationKL(student: tf.Tensor, teacher: tf.Tensor, tau: number): tf.Tensor {
  const logS = tf.logSoftmax(tf.div(student, tau));
  const logT = tf.logSoftmax(tf.div(stopGradient(teacher), tau));
  return tf.mul(tf.mean(tf.sum(tf.mul(tf.exp(logT), tf.sub(logT, logS)), -1), -1), tau * tau);
}

/** YOLOv8's DFL against continuous target distances (the teacher gave boxes, not bins): CE to the two nearest bins. */
function dflToDistances(student: tf.Tensor, distances: tf.Tensor, regMax: number): tf.Tensor {
  const target = tf.clipByValue(stopGradient(distances), 0, regMax - 1 - 0.01);
  const left = tf.floor(target);
  const wLeft = tf.sub(tf.add(left, 1), target);
  const logP = tf.logSoftmax(student); // [N, 4, regMax]
  const pick = (bin: tf.Tensor) => tf.sum(tf.mul(logP, tf.oneHot(tf.cast(bin, 'int32'), regMax)), -1);
  const ce = tf.neg(tf.add(tf.mul(pick(left), wLeft), tf.mul(pick(tf.add(left, 1)), tf.sub(1, wLeft))));
  return tf.mean(ce, -1);
}

/**
 * The per-row terms of one student level from its rows (`levelRows` of the raw map), by what the head
 * predicts: objectness (heads with it), classes and the box (all), DFL bins (heads with them: LD
 * against the teacher's bins of the same count, else DFL against the teacher's box). Call inside a tidy.
 */
export function levelTerms(student: LevelRows, targets: RowTargets, options: LevelTermOptions): LevelTerms {
  const obj = student.objectness ? objectnessLoss(student.objectness, targets.obj, options.objectness) : undefined;
  const bins = student.bins;
  const dfl = bins ? (targets.bins ? localisationKL(bins, targets.bins, options.dflTemperature) : dflToDistances(bins, boxToDistances(targets.box), bins.shape[bins.rank - 1] as number)) : undefined;
  return {
    weight: targets.weight,
    ...(obj ? { obj } : {}),
    cls: classTerm(student.classLogits, targets.clsLogits, options),
    box: boxTerm(student.box, targets.box, options.box),
    ...(dfl ? { dfl } : {}),
  };
}
