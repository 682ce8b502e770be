import { cocoIoU } from './box-overlap.js';
import type { EvalDetection, EvalGroundTruth } from './coco-types.js';

/** One image x category x area range, matched at every IoU threshold (pycocotools `evaluateImg`). */
export interface ImageEvaluation {
  readonly scores: readonly number[];
  /** [threshold][detection]: matched to a counted ground truth. */
  readonly matched: readonly (readonly boolean[])[];
  /** [threshold][detection]: ignored (matched to an ignored truth, or unmatched and outside the area range). */
  readonly ignored: readonly (readonly boolean[])[];
  /** Ground truths that count (not crowd, inside the area range). */
  readonly countedTruths: number;
}

export function evaluateImage(
  detectionsIn: readonly EvalDetection[],
  truthsIn: readonly EvalGroundTruth[],
  areaRange: readonly [number, number],
  maxDetections: number,
  iouThresholds: readonly number[],
): ImageEvaluation | undefined {
  if (detectionsIn.length === 0 && truthsIn.length === 0) return undefined;
  const areaOf = (g: EvalGroundTruth) => g.area ?? g.box[2] * g.box[3];
  const truthIgnored = (g: EvalGroundTruth) => g.crowd === true || areaOf(g) < areaRange[0] || areaOf(g) > areaRange[1];
  // Counted truths first, then ignored ones (stable), as pycocotools sorts by the ignore flag.
  const truths = [...truthsIn.filter((g) => !truthIgnored(g)), ...truthsIn.filter(truthIgnored)];
  const ignoredTruth = truths.map(truthIgnored);
  const detections = [...detectionsIn]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .slice(0, maxDetections)
    .map(({ d }) => d);

  const matched = iouThresholds.map(() => detections.map(() => false));
  const ignored = iouThresholds.map(() => detections.map(() => false));
  const ious = detections.map((d) => truths.map((g) => cocoIoU(d.box, g.box, g.crowd === true)));

  iouThresholds.forEach((threshold, t) => {
    const truthTaken = truths.map(() => false);
    detections.forEach((_, di) => {
      let best = Math.min(threshold, 1 - 1e-10);
      let match = -1;
      for (let gi = 0; gi < truths.length; gi++) {
        if (truthTaken[gi] && truths[gi]?.crowd !== true) continue;
        // Once a counted truth is matched, stop at the first ignored one.
        if (match > -1 && !ignoredTruth[match] && ignoredTruth[gi]) break;
        const iou = ious[di]?.[gi] ?? 0;
        if (iou < best) continue;
        best = iou;
        match = gi;
      }
      if (match === -1) return;
      (ignored[t] as boolean[])[di] = ignoredTruth[match] === true;
      (matched[t] as boolean[])[di] = true;
      truthTaken[match] = true;
    });
  });
  // Unmatched detections outside the area range are ignored too.
  detections.forEach((d, di) => {
    const area = d.box[2] * d.box[3];
    const outside = area < areaRange[0] || area > areaRange[1];
    iouThresholds.forEach((_, t) => {
      if (!(matched[t] as boolean[])[di] && outside) (ignored[t] as boolean[])[di] = true;
    });
  });
  return {
    scores: detections.map((d) => d.score),
    matched: matched.map((row, t) => row.map((m, di) => m && !(ignored[t] as boolean[])[di])),
    ignored,
    countedTruths: ignoredTruth.filter((flag) => !flag).length,
  };
}
