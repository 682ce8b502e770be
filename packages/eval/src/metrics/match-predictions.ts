import type { Detection, GroundTruth } from '@yolo-distill/core';
import { linspace } from './numeric.js';

/** A box `x1, y1, x2, y2` in pixels. */
export type XyxyBox = readonly [number, number, number, number];

/** The IoU thresholds of Ultralytics' validator (`torch.linspace(0.5, 0.95, 10)`), as the decimals they stand for. */
export const IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10).map((t) => Number(t.toFixed(10)));

/** Ultralytics' `box_iou` for one pair: intersection over `area1 + area2 - intersection + 1e-7`. */
export function xyxyIoU(a: XyxyBox, b: XyxyBox, eps = 1e-7): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const intersection = iw * ih;
  const area = (box: XyxyBox) => Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
  return intersection / (area(a) + area(b) - intersection + eps);
}

/** A match candidate: truth `t` and detection `d` with their IoU. */
export interface Pair {
  readonly t: number;
  readonly d: number;
  readonly iou: number;
}

/**
 * The candidates (truth, detection) with `keep(iou, t, d)` in `np.nonzero` order (truth-major), sorted as
 * `argsort()[::-1]` sorts them: ascending (stably), then reversed, so equal IoUs come last-first (what
 * numpy's sort does for small arrays; for large ones its order of ties is unspecified).
 */
export function pairsByIoU(ious: readonly (readonly number[])[], keep: (iou: number, t: number, d: number) => boolean): Pair[] {
  const pairs: Pair[] = [];
  ious.forEach((row, t) => row.forEach((iou, d) => (keep(iou, t, d) ? pairs.push({ t, d, iou }) : undefined)));
  return pairs.sort((a, b) => a.iou - b.iou).reverse();
}

/** `np.unique(column, return_index=True)[1]` applied to rows: the first row of each value, ordered by that value. */
export function firstOf(pairs: readonly Pair[], key: (pair: Pair) => number): Pair[] {
  const first = new Map<number, Pair>();
  for (const pair of pairs) if (!first.has(key(pair))) first.set(key(pair), pair);
  return [...first.entries()].sort(([a], [b]) => a - b).map(([, pair]) => pair);
}

/**
 * Which detections of one image are true positives at each IoU threshold, as Ultralytics'
 * `DetectionValidator.match_predictions` decides (`correct`, `[detections][thresholds]`).
 *
 * Detections are taken in score order (as NMS returns them; ties keep their input order). Per
 * threshold, every same-class (truth, detection) pair with IoU >= threshold is a candidate; candidates
 * are sorted by IoU (descending), each detection keeps its best one, and then, going through the
 * detections in score order, each truth goes to the first detection that kept it. (Ultralytics does not
 * sort by IoU again between the two steps; this follows it.) The result is indexed like `detections`.
 * Crowd truths are treated like any other: Ultralytics' YOLO labels have no crowd flag.
 */
export function matchPredictions(detections: readonly Detection[], truths: readonly GroundTruth[], thresholds: readonly number[] = IOU_THRESHOLDS): boolean[][] {
  const order = detections.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score);
  const correct = detections.map(() => thresholds.map(() => false));
  if (truths.length === 0 || detections.length === 0) return correct;
  const ious = truths.map((g) => order.map(({ d }) => (d.cls === g.cls ? xyxyIoU(g.box, d.box) : 0)));
  thresholds.forEach((threshold, k) => {
    const candidates = pairsByIoU(ious, (iou, t, d) => iou >= threshold && truths[t]?.cls === order[d]?.d.cls);
    const matched = firstOf(firstOf(candidates, (pair) => pair.d), (pair) => pair.t);
    for (const { d } of matched) (correct[(order[d] as { i: number }).i] as boolean[])[k] = true;
  });
  return correct;
}

/** The IoU of every truth (rows) with every detection (columns), class-agnostic. */
export function iouMatrix(truths: readonly { readonly box: XyxyBox }[], detections: readonly { readonly box: XyxyBox }[]): number[][] {
  return truths.map((g) => detections.map((d) => xyxyIoU(g.box, d.box)));
}

/**
 * Class-agnostic one-to-one matching as Ultralytics' `ConfusionMatrix.process_batch` does it: pairs with
 * IoU > `iouThreshold` (strictly), by IoU descending, each detection keeps its best truth, re-sorted
 * by IoU, each truth keeps its best detection. Returns `[truth, detection]` index pairs.
 */
export function matchOneToOne(ious: readonly (readonly number[])[], iouThreshold: number): [number, number][] {
  const candidates = pairsByIoU(ious, (iou) => iou > iouThreshold);
  const perDetection = firstOf(candidates, (pair) => pair.d)
    .sort((a, b) => a.iou - b.iou)
    .reverse();
  return firstOf(perDetection, (pair) => pair.t).map((pair) => [pair.t, pair.d]);
}
