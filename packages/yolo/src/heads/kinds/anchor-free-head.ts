import * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription } from '@yolo-distill/core';
import { decodeDfl, decodeDflAsExported, dflDistances } from '../dfl-decode.js';
import type { DflHeadSpec, HeadSpec } from '../head-spec.js';
import type { HeadKindEntry, LevelRows, LevelRowsOptions } from './head-kind.js';

const NAME = 'anchor-free';
/** Ultralytics' reg_max, assumed when a description does not give its bins. */
const DEFAULT_REG_MAX = 16;

function dflSpec(spec: HeadSpec): DflHeadSpec {
  if (typeof spec.regMax !== 'number' || spec.regMax < 1) throw new Error(`an ${NAME} head needs its DFL bins (regMax)`);
  return spec as DflHeadSpec;
}

/** Expected distances (l, t, r, b) in grid units from DFL bin logits [..., 4, regMax] (yolo's `dflDistances`), [N, 4]. */
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

function levelRows(map: tf.Tensor, description: HeadDescription, _level: number, { fail }: LevelRowsOptions): LevelRows {
  const nc = description.numClasses;
  const reg = description.regMax ?? DEFAULT_REG_MAX;
  const channels = map.shape[map.rank - 1] as number;
  const expected = 4 * reg + nc;
  if (channels !== expected) fail(`${channels} channels, expected 4 x ${reg} bins + ${nc} classes = ${expected}`);
  const flat = tf.reshape(map, [-1, 4 * reg + nc]);
  const bins = tf.reshape(tf.slice(flat, [0, 0], [-1, 4 * reg]), [-1, 1, 4, reg]);
  return {
    perCell: 1,
    numClasses: nc,
    classLogits: tf.reshape(tf.slice(flat, [0, 4 * reg], [-1, nc]), [-1, 1, nc]),
    box: tf.reshape(distancesToBox(dflExpectation(bins, reg)), [-1, 1, 4]),
    bins,
  };
}

/** The anchor-free head of YOLOv8 (and YOLO11): per cell `4 * regMax` DFL box bins and `nc` class logits. */
export const anchorFreeHead: HeadKindEntry = {
  name: NAME,
  summary: 'per cell 4 x regMax DFL box bins and nc class logits; v8 decode (dist2bbox)',
  channels: (spec) => 4 * dflSpec(spec).regMax + spec.numClasses,
  predictionsPerCell: () => 1,
  decode: (head, spec, projection) => decodeDfl(head, dflSpec(spec), projection),
  decodeAsExported: (head, spec, projection) => decodeDflAsExported(head, dflSpec(spec), projection),
  exported: { layout: 'channels-first', objectness: false },
  describe: (spec) => ({ kind: NAME, numClasses: spec.numClasses, strides: spec.strides, regMax: dflSpec(spec).regMax }),
  specOf: (description) => (description.regMax !== undefined && description.strides.length > 0 ? { kind: NAME, numClasses: description.numClasses, strides: description.strides, regMax: description.regMax } : undefined),
  checkpointMeta: () => ({}),
  // Ultralytics' Detect runs the DFL (a fixed 1x1 conv from regMax bins to 1, over 4 sides x all cells) in its forward pass.
  decodeFlops: (spec, cells) => 2 * cells * 4 * dflSpec(spec).regMax,
  levelRows,
  cellConfidence: (map, nc) => {
    const c = map.shape[map.rank - 1] as number;
    return tf.max(tf.sigmoid(tf.slice(map, [0, 0, 0, c - nc], [-1, -1, -1, nc])), -1);
  },
};
