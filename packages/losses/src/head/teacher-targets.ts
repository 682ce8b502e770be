import * as tf from '@tensorflow/tfjs-core';
import type { LevelRows } from '@yolo-distill/yolo';

/**
 * What the teacher says at each row of one student level, `[N, P]` rows for `P` student predictions
 * per cell: `weight` its confidence there (objectness for teachers that predict it, else the max class
 * score), `obj` the objectness target, `clsLogits` class logits (targets sigmoid(logit / tau) or
 * softmax(logit / tau)), `box` xywh relative to the cell's top-left corner in grid units, and `bins`
 * the teacher's DFL logits when both heads have bins of the same count. Every field is detached.
 */
export interface RowTargets {
  readonly weight: tf.Tensor;
  readonly obj: tf.Tensor;
  readonly clsLogits: tf.Tensor;
  readonly box: tf.Tensor;
  readonly bins?: tf.Tensor;
}

const logit = (p: tf.Tensor): tf.Tensor => {
  const q = tf.clipByValue(p, 1e-6, 1 - 1e-6);
  return tf.sub(tf.log(q), tf.log1p(tf.neg(q)));
};

/** Per-cell targets `[N, ...]` given to each of `perCell` predictions: `[N, perCell, ...]`. */
const tileCells = (x: tf.Tensor, perCell: number): tf.Tensor => tf.tile(tf.expandDims(x, 1), [1, perCell, ...x.shape.slice(1).map(() => 1)]);

/**
 * The teacher's rows (of a detached map) as targets for the student's, by what the heads predict, not
 * by their kinds: with equal predictions per cell, row to row; a teacher with one prediction per cell
 * gives it to each of the student's; a teacher with objectness gives a student without it, per cell,
 * its most confident prediction (objectness x class score as class targets). Call inside a tidy.
 */
export function teacherTargets(teacher: LevelRows, student: LevelRows): RowTargets {
  if (teacher.objectness) {
    const obj = tf.sigmoid(teacher.objectness); // [N, Pt]
    if (student.objectness) {
      if (student.perCell !== teacher.perCell) {
        throw new Error(`losses.DecoupledHead: the teacher has ${teacher.perCell} anchors per cell, the student ${student.perCell}`);
      }
      return { weight: obj, obj, clsLogits: teacher.classLogits, box: teacher.box };
    }
    const score = tf.mul(tf.expandDims(obj, -1), tf.sigmoid(teacher.classLogits)); // [N, Pt, nc]
    const best = tf.oneHot(tf.argMax(tf.max(score, -1), -1), teacher.perCell); // [N, Pt]
    const pick = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.expandDims(best, -1)), 1);
    const probs = pick(score);
    const weight = tileCells(tf.max(probs, -1), student.perCell);
    return { weight, obj: weight, clsLogits: tileCells(logit(probs), student.perCell), box: tileCells(pick(teacher.box), student.perCell) };
  }
  const weight = tf.max(tf.sigmoid(teacher.classLogits), -1); // [N, Pt]
  if (teacher.perCell === student.perCell) {
    const sameBins = teacher.bins && student.bins && teacher.bins.shape[3] === student.bins.shape[3];
    return { weight, obj: weight, clsLogits: teacher.classLogits, box: teacher.box, ...(sameBins ? { bins: teacher.bins } : {}) };
  }
  if (teacher.perCell !== 1) throw new Error(`losses.DecoupledHead: the teacher has ${teacher.perCell} predictions per cell, the student ${student.perCell}`);
  const first = (x: tf.Tensor) => tileCells(tf.squeeze(x, [1]), student.perCell);
  return { weight: first(weight), obj: first(weight), clsLogits: first(teacher.classLogits), box: first(teacher.box) };
}
