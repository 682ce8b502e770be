import * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription } from '@yolo-distill/core';
import { decodeAnchorBased } from '../anchor-decode.js';
import type { AnchorHeadSpec, HeadSpec } from '../head-spec.js';
import type { HeadKindEntry, LevelRows, LevelRowsOptions } from './head-kind.js';

const NAME = 'anchor-based';

function anchorSpec(spec: HeadSpec): AnchorHeadSpec {
  if (!spec.anchors || spec.anchors.length !== spec.strides.length) throw new Error(`an ${NAME} head needs anchors for each of its ${spec.strides.length} levels`);
  return spec as AnchorHeadSpec;
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

function levelRows(map: tf.Tensor, description: HeadDescription, level: number, { stride, fail }: LevelRowsOptions): LevelRows {
  const nc = description.numClasses;
  const pixels = description.anchors?.[level] ?? fail('the head description has no anchors for this level');
  const s = description.strides[level] ?? stride ?? fail('the head description has no stride for this level');
  const channels = map.shape[map.rank - 1] as number;
  const expected = pixels.length * (5 + nc);
  if (channels !== expected) fail(`${channels} channels, expected ${pixels.length} anchors x (5 + ${nc} classes) = ${expected}`);
  const na = pixels.length;
  const rows = tf.reshape(map, [-1, na, 5 + nc]);
  const part = (begin: number, size: number) => tf.slice(rows, [0, 0, begin], [-1, -1, size]);
  return {
    perCell: na,
    numClasses: nc,
    objectness: tf.squeeze(part(4, 1), [-1]),
    classLogits: part(5, nc),
    box: decodeAnchorBox(part(0, 4), pixels.map(([w, h]) => [w / s, h / s] as const)),
  };
}

/** The anchor-based head of YOLOv3, v5 and v7: per cell `na` anchors of `x, y, w, h, objectness, classes`. */
export const anchorBasedHead: HeadKindEntry = {
  name: NAME,
  summary: 'per cell na anchors of (x, y, w, h, objectness, nc classes); v3/v5/v7 decode',
  channels: (spec, level = 0) => (anchorSpec(spec).anchors[level]?.length ?? 0) * (5 + spec.numClasses),
  predictionsPerCell: (spec, level) => anchorSpec(spec).anchors[level]?.length ?? 0,
  decode: (head, spec) =>
    tf.tidy(() => {
      const decoded = decodeAnchorBased(head, anchorSpec(spec));
      const [b, n] = decoded.shape;
      const boxes = tf.slice(decoded, [0, 0, 0], [b, n, 4]);
      const objectness = tf.slice(decoded, [0, 0, 4], [b, n, 1]);
      const classes = tf.slice(decoded, [0, 0, 5], [b, n, spec.numClasses]);
      return tf.concat([boxes, tf.mul(objectness, classes)], 2) as tf.Tensor3D;
    }),
  decodeAsExported: (head, spec) => decodeAnchorBased(head, anchorSpec(spec)),
  exported: { layout: 'rows', objectness: true },
  describe: (spec) => ({ kind: NAME, numClasses: spec.numClasses, strides: spec.strides, anchors: anchorSpec(spec).anchors }),
  specOf: (description) => (description.anchors && description.strides.length > 0 ? { kind: NAME, numClasses: description.numClasses, strides: description.strides, anchors: description.anchors } : undefined),
  checkpointMeta: (spec) => ({ anchors: anchorSpec(spec).anchors.map((level) => level.map(([w, h]) => [w, h])) }),
  decodeFlops: () => 0,
  levelRows,
  cellConfidence: (map, nc) => {
    const [n, h, w, c] = map.shape as [number, number, number, number];
    const na = c / (5 + nc);
    const rows = tf.reshape(map, [n, h, w, na, 5 + nc]);
    const obj = tf.sigmoid(tf.slice(rows, [0, 0, 0, 0, 4], [-1, -1, -1, -1, 1]));
    const cls = tf.sigmoid(tf.slice(rows, [0, 0, 0, 0, 5], [-1, -1, -1, -1, nc]));
    return tf.max(tf.mul(obj, cls), [3, 4]);
  },
};
