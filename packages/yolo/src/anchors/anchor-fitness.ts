import { boxSizes, describeDropped, type BoxSizes } from './box-sizes.js';
import type { BoxWh } from './wh-metrics.js';

export interface AnchorFitnessOptions {
  /** Ultralytics' `anchor_t`: a box matches an anchor when no side is more than `thr` times off (default 4). */
  readonly thr?: number;
  /** `recallAtIoU` counts boxes whose best anchor IoU is above this (default 0.25). */
  readonly iouThreshold?: number;
}

/** How well a set of anchors covers a set of label box sizes. */
export interface AnchorFitness {
  /** Boxes measured (valid ones). */
  readonly boxes: number;
  /** Boxes left out: a side zero, negative or not finite. */
  readonly invalid: number;
  /** Best possible recall as Ultralytics' `check_anchors` computes it: boxes with a best wh-ratio above `1 / thr`. */
  readonly bpr: number;
  /** Ultralytics' "anchors/target": per box, the anchors with a wh-ratio above `1 / thr`, averaged. */
  readonly anchorsAboveThreshold: number;
  /** Per box, the best IoU (centred boxes) over the anchors, averaged. */
  readonly meanBestIoU: number;
  /** Boxes whose best centred IoU is above `iouThreshold`. */
  readonly recallAtIoU: number;
}

/**
 * Fitness of anchors to label box sizes (both `[w, h]` in input pixels): Ultralytics' wh-ratio BPR
 * and anchors-per-target, and the IoU view (mean best IoU, recall at an IoU threshold).
 */
export function anchorFitness(boxesWh: readonly BoxWh[], anchors: readonly BoxWh[], options: AnchorFitnessOptions = {}): AnchorFitness {
  const sizes = boxSizes(boxesWh);
  if (sizes.w.length === 0) throw new Error(`anchorFitness: no boxes to measure${boxesWh.length > 0 ? `: all ${boxesWh.length} have a zero, negative or non-finite side` : ''}`);
  return fitnessOf(sizes, anchors, options);
}

/** {@link anchorFitness} on boxes already cleaned (shared by k-means, evolution and refit). */
export function fitnessOf(sizes: BoxSizes, anchors: readonly BoxWh[], options: AnchorFitnessOptions = {}): AnchorFitness {
  const thr = options.thr ?? 4;
  const iouThreshold = options.iouThreshold ?? 0.25;
  if (!(thr > 1)) throw new RangeError(`anchorFitness: thr (anchor_t) must be > 1, got ${thr}`);
  if (anchors.length === 0) throw new Error('anchorFitness: no anchors given');
  for (const [w, h] of anchors) {
    if (!(Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0)) throw new RangeError(`anchorFitness: anchors must have positive sizes, found [${w}, ${h}]`);
  }
  const n = sizes.w.length;
  if (n === 0) throw new Error(`anchorFitness: no boxes to measure${describeDropped(sizes, 0)}`);
  const ratioMin = 1 / thr;
  const k = anchors.length;
  const aw = Float64Array.from(anchors, ([w]) => w);
  const ah = Float64Array.from(anchors, ([, h]) => h);
  let covered = 0;
  let above = 0;
  let iouSum = 0;
  let iouCovered = 0;
  // whRatio and centredIoU written out: this loop runs boxes x anchors x generations when evolving.
  for (let i = 0; i < n; i++) {
    const bw = sizes.w[i] as number;
    const bh = sizes.h[i] as number;
    const area = bw * bh;
    let bestRatio = 0;
    let bestIoU = 0;
    for (let a = 0; a < k; a++) {
      const w = aw[a] as number;
      const h = ah[a] as number;
      const rw = bw < w ? bw / w : w / bw;
      const rh = bh < h ? bh / h : h / bh;
      const ratio = rw < rh ? rw : rh;
      if (ratio > ratioMin) above++;
      if (ratio > bestRatio) bestRatio = ratio;
      const inter = (bw < w ? bw : w) * (bh < h ? bh : h);
      const iou = inter / (area + w * h - inter);
      if (iou > bestIoU) bestIoU = iou;
    }
    if (bestRatio > ratioMin) covered++;
    if (bestIoU > iouThreshold) iouCovered++;
    iouSum += bestIoU;
  }
  return { boxes: n, invalid: sizes.invalid, bpr: covered / n, anchorsAboveThreshold: above / n, meanBestIoU: iouSum / n, recallAtIoU: iouCovered / n };
}

/**
 * The order refitting ranks anchor sets by: best possible recall first (the number Ultralytics'
 * autoanchor compares), then mean best IoU. Positive when `a` is better than `b`.
 */
export function compareFitness(a: AnchorFitness, b: AnchorFitness): number {
  const eps = 1e-12;
  if (Math.abs(a.bpr - b.bpr) > eps) return a.bpr - b.bpr;
  return Math.abs(a.meanBestIoU - b.meanBestIoU) > eps ? a.meanBestIoU - b.meanBestIoU : 0;
}
