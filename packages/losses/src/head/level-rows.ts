import * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription } from '@yolo-distill/core';
import { headKind, type LevelRows } from '@yolo-distill/yolo';

/**
 * Level `level` of a raw head map `[B, H, W, C]` as prediction rows, read by the head's kind entry
 * (`@yolo-distill/yolo`'s `HEAD_KINDS`), so that the head terms never switch on the kind. `stride`
 * stands in when the head does not tell its strides. Call inside a tidy.
 */
export function levelRows(map: tf.Tensor, head: HeadDescription, level: number, who: string, stride?: number): LevelRows {
  const fail = (why: string): never => {
    throw new Error(`losses.DecoupledHead: ${who} head level ${level}: ${why}`);
  };
  return headKind(head.kind).levelRows(map, head, level, { ...(stride !== undefined ? { stride } : {}), fail });
}

/** (l, t, r, b) from the cell centre of a box xywh relative to the cell's corner (the inverse of yolo's `distancesToBox`). */
export function boxToDistances(xywh: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [x, y, w, h] = tf.split(xywh, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const hw = tf.div(w, 2);
    const hh = tf.div(h, 2);
    return tf.concat([tf.sub(0.5, tf.sub(x, hw)), tf.sub(0.5, tf.sub(y, hh)), tf.sub(tf.add(x, hw), 0.5), tf.sub(tf.add(y, hh), 0.5)], -1);
  });
}
