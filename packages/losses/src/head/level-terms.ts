import * as tf from '@tensorflow/tfjs-core';
import { boxIoU, stopGradient } from '@yolo-distill/yolo';
import { decodeAnchorBox, boxToDistances, distancesToBox, dflExpectation, type LevelGeometry } from './level-geometry.js';
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
 * Per-row terms of one student level, before pooling: `obj` (anchor-based students; every row),
 * `cls`, `box` and `dfl` (anchor-free students), each with the shape of the rows, and the teacher's
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

/** The per-row terms of one level. `student` is the raw level map [B, H, W, C]. Call inside a tidy. */
export function levelTerms(student: tf.Tensor, geometry: LevelGeometry, targets: RowTargets, options: LevelTermOptions): LevelTerms {
  const nc = geometry.classes;
  if (geometry.kind === 'anchor-based') {
    const na = geometry.anchors.length;
    const rows = tf.reshape(student, [-1, na, 5 + nc]);
    const part = (begin: number, size: number) => tf.slice(rows, [0, 0, begin], [-1, -1, size]);
    return {
      weight: targets.weight,
      obj: objectnessLoss(tf.squeeze(part(4, 1), [-1]), targets.obj, options.objectness),
      cls: classTerm(part(5, nc), targets.clsLogits, options),
      box: boxTerm(decodeAnchorBox(part(0, 4), geometry.anchors), targets.box, options.box),
    };
  }
  const reg = geometry.regMax;
  const flat = tf.reshape(student, [-1, 4 * reg + nc]);
  const bins = tf.reshape(tf.slice(flat, [0, 0], [-1, 4 * reg]), [-1, 4, reg]);
  const logits = tf.slice(flat, [0, 4 * reg], [-1, nc]);
  const dfl = targets.bins ? localisationKL(bins, targets.bins, options.dflTemperature) : dflToDistances(bins, boxToDistances(targets.box), reg);
  return {
    weight: targets.weight,
    cls: classTerm(logits, targets.clsLogits, options),
    box: boxTerm(distancesToBox(dflExpectation(bins, reg)), targets.box, options.box),
    dfl,
  };
}
