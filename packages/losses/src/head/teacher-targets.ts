import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@yolo-distill/yolo';
import { decodeAnchorBox, dflExpectation, distancesToBox, type LevelGeometry } from './level-geometry.js';

/**
 * What the teacher says at each row of one student level (anchor-based rows [N, na], anchor-free
 * rows [N], N = B*H*W): `weight` its confidence there (objectness for anchor-based teachers, the max
 * class score for anchor-free ones), `obj` the objectness target, `clsLogits` class logits (targets
 * sigmoid(logit / tau) or softmax(logit / tau)), `box` xywh relative to the cell's top-left corner in
 * grid units, and `bins` the teacher's DFL logits when both heads are anchor-free with equal bins.
 * Every field is detached.
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

/**
 * The teacher's level map [B, H, W, C] as targets for the student's rows. Same kinds map row to row;
 * an anchor-free teacher gives every anchor of a cell the cell's prediction; an anchor-based teacher
 * gives an anchor-free student, per cell, its most confident anchor (objectness x class score as
 * class targets). Call inside a tidy.
 */
export function teacherTargets(teacher: tf.Tensor, teacherGeometry: LevelGeometry, student: LevelGeometry): RowTargets {
  const t = stopGradient(teacher);
  const nc = teacherGeometry.classes;
  if (teacherGeometry.kind === 'anchor-based') {
    const na = teacherGeometry.anchors.length;
    const rows = tf.reshape(t, [-1, na, 5 + nc]);
    const part = (begin: number, size: number) => tf.slice(rows, [0, 0, begin], [-1, -1, size]);
    const obj = tf.sigmoid(tf.squeeze(part(4, 1), [-1])); // [N, na]
    const clsLogits = part(5, nc);
    const box = decodeAnchorBox(part(0, 4), teacherGeometry.anchors);
    if (student.kind === 'anchor-based') {
      if (student.anchors.length !== na) {
        throw new Error(`losses.DecoupledHead: the teacher has ${na} anchors per cell, the student ${student.anchors.length}`);
      }
      return { weight: obj, obj, clsLogits, box };
    }
    const score = tf.mul(tf.expandDims(obj, -1), tf.sigmoid(clsLogits)); // [N, na, nc]
    const best = tf.oneHot(tf.argMax(tf.max(score, -1), -1), na); // [N, na]
    const pick = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.expandDims(best, -1)), 1);
    const probs = pick(score);
    const weight = tf.max(probs, -1);
    return { weight, obj: weight, clsLogits: logit(probs), box: pick(box) };
  }
  const reg = teacherGeometry.regMax;
  const flat = tf.reshape(t, [-1, 4 * reg + nc]);
  const bins = tf.reshape(tf.slice(flat, [0, 0], [-1, 4 * reg]), [-1, 4, reg]);
  const clsLogits = tf.slice(flat, [0, 4 * reg], [-1, nc]);
  const weight = tf.max(tf.sigmoid(clsLogits), -1); // [N]
  const box = distancesToBox(dflExpectation(bins, reg));
  if (student.kind === 'anchor-free') return { weight, obj: weight, clsLogits, box, ...(student.regMax === reg ? { bins } : {}) };
  const na = student.anchors.length;
  const tile = (x: tf.Tensor) => tf.tile(tf.expandDims(x, 1), [1, na, ...x.shape.slice(1).map(() => 1)]);
  return { weight: tile(weight), obj: tile(weight), clsLogits: tile(clsLogits), box: tile(box) };
}
