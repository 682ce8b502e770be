import type * as tf from '@tensorflow/tfjs-core';
import type { HeadDescription, HeadKind } from '@yolo-distill/core';
import type { OnnxDim } from '@yolo-distill/yolo';
import type { HeadLayout } from '../onnx/head-layout.js';
import type { OnnxEmitter } from '../onnx/onnx-emitter.js';
import type { TfGraphEmitter } from '../tfjs/tf-graph-emitter.js';

/** How a head kind's raw maps are arranged in the export: predictions per level cell and channels per prediction. */
export interface ExportHeadShape {
  /** Predictions per cell (anchor-based: anchors per level); 0 when the head has one row per cell. */
  readonly anchorsPerLevel: number;
  /** Channels per prediction (anchor-based: 5 + nc) or per cell (anchor-free: 4 * regMax + nc). */
  readonly outputsPerAnchor: number;
  /** Rows of the decoded output per cell. */
  readonly rowsPerCell: number;
}

/** One tensor the head writes and its declared dims. */
export interface HeadTensor<Dim> {
  readonly tensor: string;
  readonly dims: readonly Dim[];
}

/**
 * The export side of a head kind (yolo's `HEAD_KINDS` entry of the same name holds its tensor code):
 * the layout of its maps, its raw and decoded outputs in ONNX and TF.js nodes, the boxes and scores
 * NMS reads from the decoded output, and the tfjs reference of the raw outputs for the parity check.
 * A new head kind is one more entry in `EXPORT_HEAD_KINDS`.
 */
export interface ExportHeadKind {
  readonly name: HeadKind;
  /** The layout numbers of this head; throws naming what the description lacks. */
  shape(head: HeadDescription): ExportHeadShape;
  readonly onnx: {
    /** The raw outputs in the upstream raw layout (one per level, or one for all levels). */
    raw(emitter: OnnxEmitter, layout: HeadLayout, maps: readonly string[], scope: string, batch: OnnxDim): HeadTensor<OnnxDim>[];
    /** The decoded output in the upstream layout (`output0`). */
    decode(emitter: OnnxEmitter, layout: HeadLayout, maps: readonly string[], scope: string, batch: OnnxDim): HeadTensor<OnnxDim>;
    /** From the decoded output: boxes `cx, cy, w, h` `[B, N, 4]` and per-class confidences `[B, N, nc]`. */
    boxesAndScores(emitter: OnnxEmitter, layout: HeadLayout, decoded: string, scope: string): { readonly xywh: string; readonly scores: string };
  };
  readonly tfjs: {
    raw(emitter: TfGraphEmitter, layout: HeadLayout, maps: readonly string[], scope: string, batch: number): HeadTensor<number>[];
    decode(emitter: TfGraphEmitter, layout: HeadLayout, maps: readonly string[], scope: string, batch: number): HeadTensor<number>;
  };
  /** The tfjs model's NHWC head maps rearranged as the raw outputs of the export. */
  rawReference(maps: readonly tf.Tensor4D[], layout: HeadLayout): tf.Tensor[];
}
