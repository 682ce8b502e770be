import * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription } from '@yolo-distill/core';
import { dflDistances } from '@yolo-distill/yolo';

/** How one level of a head splits its channels, with anchors in grid units (pixels / stride). */
export type LevelGeometry =
  | { readonly kind: 'anchor-based'; readonly classes: number; readonly anchors: readonly (readonly [number, number])[] }
  | { readonly kind: 'anchor-free'; readonly classes: number; readonly regMax: number };

/** The geometry of `level` of `head`; `stride` stands in when the head does not tell its strides. */
export function levelGeometry(head: HeadDescription, level: number, channels: number, who: string, stride?: number): LevelGeometry {
  const fail = (why: string): never => {
    throw new Error(`losses.DecoupledHead: ${who} head level ${level}: ${why}`);
  };
  if (head.kind === 'anchor-based') {
    const pixels = head.anchors?.[level] ?? fail('the head description has no anchors for this level');
    const s = head.strides[level] ?? stride ?? fail('the head description has no stride for this level');
    const expected = pixels.length * (5 + head.numClasses);
    if (channels !== expected) fail(`${channels} channels, expected ${pixels.length} anchors x (5 + ${head.numClasses} classes) = ${expected}`);
    return { kind: 'anchor-based', classes: head.numClasses, anchors: pixels.map(([w, h]) => [w / s, h / s] as const) };
  }
  const regMax = head.regMax ?? 16;
  const expected = 4 * regMax + head.numClasses;
  if (channels !== expected) fail(`${channels} channels, expected 4 x ${regMax} bins + ${head.numClasses} classes = ${expected}`);
  return { kind: 'anchor-free', classes: head.numClasses, regMax };
}

/** Anchor-based (v5) box relative to the cell's top-left corner, grid units: xy = 2 sigmoid - 0.5, wh = (2 sigmoid)^2 anchor. */
export function decodeAnchorBox(xywh: tf.Tensor, anchors: readonly (readonly [number, number])[]): tf.Tensor {
  return tf.tidy(() => {
    const s = tf.sigmoid(xywh);
    const [xy, wh] = tf.split(s, 2, -1) as [tf.Tensor, tf.Tensor];
    const grid = tf.tensor2d(anchors.flatMap(([w, h]) => [w, h]), [anchors.length, 2]);
    return tf.concat([tf.sub(tf.mul(xy, 2), 0.5), tf.mul(tf.square(tf.mul(wh, 2)), grid)], -1);
  });
}

/** Expected distances (l, t, r, b) in grid units from DFL bin logits [N, 4, regMax] (yolo's `dflDistances`), [N, 4]. */
export function dflExpectation(bins: tf.Tensor, regMax: number): tf.Tensor {
  return tf.tidy(() => tf.reshape(dflDistances(tf.reshape(bins, [1, -1, 4 * regMax]) as tf.Tensor3D, regMax), [-1, 4]));
}

/** Distances from the cell centre (l, t, r, b) to a box xywh relative to the cell's top-left corner. */
export function distancesToBox(ltrb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [l, t, r, b] = tf.split(ltrb, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.concat([tf.add(0.5, tf.div(tf.sub(r, l), 2)), tf.add(0.5, tf.div(tf.sub(b, t), 2)), tf.add(l, r), tf.add(t, b)], -1);
  });
}

/** The inverse of `distancesToBox`: (l, t, r, b) from the cell centre of a box xywh relative to the cell's corner. */
export function boxToDistances(xywh: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [x, y, w, h] = tf.split(xywh, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const hw = tf.div(w, 2);
    const hh = tf.div(h, 2);
    return tf.concat([tf.sub(0.5, tf.sub(x, hw)), tf.sub(0.5, tf.sub(y, hh)), tf.sub(tf.add(x, hw), 0.5), tf.sub(tf.add(y, hh), 0.5)], -1);
  });
}
