import type { ImageEvaluation } from './evaluate-image.js';

/** Precision at each recall threshold and the final recall, for one category x area x maxDets x IoU threshold. */
export interface PrecisionCurve {
  /** Interpolated precision at each recall threshold; undefined when the category has no counted truth. */
  readonly precision: readonly number[] | undefined;
  readonly recall: number | undefined;
}

const SPACING_ONE = 2.220446049250313e-16; // numpy's np.spacing(1)

/**
 * pycocotools `accumulate` for one category/area/maxDets: detections of all images by score (stable),
 * cumulative TP/FP per IoU threshold, precision made monotone from the right, sampled at the recall
 * thresholds with `searchsorted(side='left')`, zero beyond the last reached recall.
 */
export function accumulate(
  evaluations: readonly (ImageEvaluation | undefined)[],
  maxDetections: number,
  thresholdCount: number,
  recallThresholds: readonly number[],
): PrecisionCurve[] {
  const present = evaluations.filter((e): e is ImageEvaluation => e !== undefined);
  const countedTruths = present.reduce((sum, e) => sum + e.countedTruths, 0);
  if (countedTruths === 0) return Array.from({ length: thresholdCount }, () => ({ precision: undefined, recall: undefined }));

  const entries: { score: number; image: number; index: number }[] = [];
  present.forEach((e, image) => e.scores.slice(0, maxDetections).forEach((score, index) => entries.push({ score, image, index })));
  entries.sort((a, b) => b.score - a.score); // Array.prototype.sort is stable, like numpy's mergesort

  return Array.from({ length: thresholdCount }, (_, t) => {
    let tp = 0;
    let fp = 0;
    const recall: number[] = [];
    const precision: number[] = [];
    for (const { image, index } of entries) {
      const evaluation = present[image] as ImageEvaluation;
      const isMatched = evaluation.matched[t]?.[index] === true;
      const isIgnored = evaluation.ignored[t]?.[index] === true;
      if (isMatched) tp += 1;
      else if (!isIgnored) fp += 1;
      recall.push(tp / countedTruths);
      precision.push(tp / (fp + tp + SPACING_ONE));
    }
    for (let i = precision.length - 1; i > 0; i--) {
      if ((precision[i] as number) > (precision[i - 1] as number)) precision[i - 1] = precision[i] as number;
    }
    const sampled = recallThresholds.map(() => 0);
    for (let r = 0; r < recallThresholds.length; r++) {
      const at = searchSortedLeft(recall, recallThresholds[r] as number);
      if (at >= precision.length) break;
      sampled[r] = precision[at] as number;
    }
    return { precision: sampled, recall: recall.length > 0 ? (recall[recall.length - 1] as number) : 0 };
  });
}

/** The first index whose value is >= `value` in an ascending array (numpy searchsorted, side='left'). */
function searchSortedLeft(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
