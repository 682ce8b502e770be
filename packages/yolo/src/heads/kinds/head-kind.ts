import type * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription, HeadKind } from '@yolo-distill/core';
import type { HeadSpec } from '../head-spec.js';

/**
 * One level of a raw head map as prediction rows, `N = B * H * W` cells with `perCell` predictions each
 * (anchors; 1 for an anchor-free head). Every field keeps the gradient of the map it came from.
 */
export interface LevelRows {
  readonly perCell: number;
  readonly numClasses: number;
  /** Heads that predict objectness: its logits `[N, perCell]`. */
  readonly objectness?: tf.Tensor;
  /** Class logits `[N, perCell, nc]`. */
  readonly classLogits: tf.Tensor;
  /** The box, `x, y, w, h` in grid units, x/y relative to the cell's top-left corner, `[N, perCell, 4]`. */
  readonly box: tf.Tensor;
  /** DFL heads: box-side bin logits `[N, perCell, 4, regMax]`. */
  readonly bins?: tf.Tensor;
}

/** How a level is read: the stride to use when the description lacks it, and how problems are reported. */
export interface LevelRowsOptions {
  readonly stride?: number;
  readonly fail: (why: string) => never;
}

/** The layout of a kind's decoded export output (`decodeAsExported`), which NMS and exporters read. */
export interface ExportedLayout {
  /** `rows`: `[B, N, 4 (+1) + nc]`; `channels-first`: `[B, 4 + nc, N]`. */
  readonly layout: 'rows' | 'channels-first';
  /** Whether an objectness column follows the box (scores are objectness x class). */
  readonly objectness: boolean;
}

/**
 * A kind of detection head: everything the rest of the workspace needs to know about one, so that
 * nothing switches on the kind's name. A new head (a v10-style one-to-one head, say) is one more entry
 * in `HEAD_KINDS`; decode, distillation, checkpoints, statistics and the adapter contract read it here.
 */
export interface HeadKindEntry {
  readonly name: HeadKind;
  readonly summary: string;
  /** Raw channels of level `level` of the head. */
  channels(spec: HeadSpec, level?: number): number;
  /** Predictions per grid cell of a level (its anchors; 1 for anchor-free heads). */
  predictionsPerCell(spec: HeadSpec, level: number): number;
  /** `[B, N, 4 + nc]`: cx, cy, w, h in input pixels, then class confidences; rows level > (anchor >) y > x. */
  decode(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D;
  /** The decoded output in the layout of the version's own ONNX export (see `exported`). */
  decodeAsExported(head: readonly tf.Tensor4D[], spec: HeadSpec, projection?: tf.Tensor): tf.Tensor3D;
  readonly exported: ExportedLayout;
  /** The head as distillation losses see it (without the loss's level balance). */
  describe(spec: HeadSpec): HeadDescription;
  /** The spec a description decodes with, or undefined when it lacks what decoding needs (an export without anchors). */
  specOf(description: HeadDescription): HeadSpec | undefined;
  /** What a checkpoint records of the head beside the weights (anchors: no weights, but they give the outputs meaning). */
  checkpointMeta(spec: HeadSpec): Readonly<Record<string, unknown>>;
  /** FLOPs of decode ops the upstream model runs in its own forward pass (the DFL conv) at `cells` grid cells. */
  decodeFlops(spec: HeadSpec, cells: number): number;
  /** A raw level map `[B, H, W, C]` as prediction rows; checks its channels against the description. Call inside a tidy. */
  levelRows(map: tf.Tensor, description: HeadDescription, level: number, options: LevelRowsOptions): LevelRows;
  /** The head's confidence per cell `[B, H, W]` (max over predictions and classes), from a level map alone. Call inside a tidy. */
  cellConfidence(map: tf.Tensor, numClasses: number): tf.Tensor;
}
