import type { DetectionModel, HeadDescription } from '@yolo-distill/core';

/** What the head writers need: the head's description and the grid of each level at the export size. */
export interface HeadLayout {
  readonly head: HeadDescription;
  /** Per level `[height, width]` of the raw map. */
  readonly grids: readonly (readonly [number, number])[];
  /** Anchor-based: anchors per level; anchor-free: 0. */
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
  if (head.kind === 'anchor-based') {
    const na = head.anchors?.[0]?.length;
    if (!na || head.anchors?.length !== head.strides.length) throw new Error(`${model.name}: an anchor-based head needs anchors for each of its ${head.strides.length} levels`);
    return { head, grids, anchorsPerLevel: na, outputsPerAnchor: 5 + head.numClasses, boxes: cells * na };
  }
  if (!head.regMax) throw new Error(`${model.name}: an anchor-free head needs its DFL bins (regMax)`);
  return { head, grids, anchorsPerLevel: 0, outputsPerAnchor: 4 * head.regMax + head.numClasses, boxes: cells };
}
