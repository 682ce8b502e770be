import type { HeadKind } from '@yolo-distill/core';

/** One level of a Detect head as ONNX tensors (NCHW, as the graph computes them). */
export interface DetectLevel {
  /** The map entering the head at this level (P3, P4, P5 for three levels); unknown when the head is named by `head`. */
  readonly feature?: string;
  /**
   * The raw head outputs of the level: anchor-based one tensor with `na * (5 + nc)` channels (the
   * `m.i` conv); anchor-free the box-bin conv (`cv2.i`, `4 * regMax` channels) and the class-logit
   * conv (`cv3.i`, `nc` channels), concatenated on channels in that order to give our head layout.
   */
  readonly outputs: readonly string[];
}

/** Where a YOLO Detect head sits in an ONNX graph and what it computes. */
export interface DetectHeadLayout {
  readonly kind: HeadKind;
  /** How it was found, for messages: `model.24` (the Detect layer) or `config` (named by `head`). */
  readonly origin: string;
  readonly numClasses: number;
  /** Anchor-based: anchors per level (undefined when named by `head`: read from the channels at run time). */
  readonly anchorsPerLevel?: number;
  /** Anchor-free: DFL bins per box side (16 in every Ultralytics model; undefined when named by `head`). */
  readonly regMax?: number;
  /** Anchor-based: per level, per anchor `[w, h]` in input pixels, when the export decodes in the graph (v5, v3). */
  readonly anchors?: readonly (readonly (readonly [number, number])[])[];
  /** Anchor-based: the level strides, read with the anchors. */
  readonly strides?: readonly number[];
  readonly levels: readonly DetectLevel[];
}
