import type { DetectionModel, HeadDescription } from '@yolo-distill/core';
import type { ExportHeadKind } from '../heads/export-head-kind.js';
import { exportHeadKind } from '../heads/export-head-kinds.js';

/** What the head writers need: the head's description and the grid of each level at the export size. */
export interface HeadLayout {
  readonly head: HeadDescription;
  /** The export entry of the head's kind: its ONNX and TF.js writers. */
  readonly writer: ExportHeadKind;
  /** Per level `[height, width]` of the raw map. */
  readonly grids: readonly (readonly [number, number])[];
  /** Anchor-based: anchors per level; one row per cell: 0. */
  readonly anchorsPerLevel: number;
  /** Channels per anchor (anchor-based: 5 + nc) or per cell (anchor-free: 4 * regMax + nc). */
  readonly outputsPerAnchor: number;
  /** Rows of the decoded output. */
  readonly boxes: number;
}

/** The head layout of a model exported at `height` x `width`; errors name the model and what is missing. */
export function headLayout(model: DetectionModel, height: number, width: number): HeadLayout {
  const head = model.headDescription;
  if (!head) throw new Error(`${model.name}: the model does not describe its head (headDescription), so its decode cannot be exported`);
  const maxStride = Math.max(...head.strides);
  if (height % maxStride !== 0 || width % maxStride !== 0) throw new Error(`${model.name}: the export size ${height}x${width} must be a multiple of the largest stride ${maxStride}`);
  const grids = head.strides.map((stride) => [height / stride, width / stride] as const);
  const cells = grids.reduce((sum, [h, w]) => sum + h * w, 0);
  const writer = exportHeadKind(head.kind, model.name);
  let shape;
  try {
    shape = writer.shape(head);
  } catch (error) {
    throw new Error(`${model.name}: ${(error as Error).message}`);
  }
  return { head, writer, grids, anchorsPerLevel: shape.anchorsPerLevel, outputsPerAnchor: shape.outputsPerAnchor, boxes: cells * shape.rowsPerCell };
}
