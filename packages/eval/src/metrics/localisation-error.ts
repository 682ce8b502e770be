import type { Detection, GroundTruth } from '@yolo-distill/core';
import { firstOf, pairsByIoU, xyxyIoU } from './match-predictions.js';

/** How well the true positives sit on their objects, at one operating point. */
export interface LocalisationError {
  /** 1 - `meanIou`: the part of each matched box that misses its object, averaged. */
  readonly error: number;
  /** Mean IoU of the true positives with the truths they matched. */
  readonly meanIou: number;
  readonly truePositives: number;
  /** Detections scoring below this were left out. */
  readonly confidence: number;
  readonly iouThreshold: number;
}

/**
 * The localisation error of a detector: the detections scoring at least `confidence` are matched to
 * same-class truths at `iouThreshold` as Ultralytics' `match_predictions` does (each detection keeps
 * its best candidate, each truth goes to the first detection that kept it), and the IoUs of the
 * matched pairs are averaged. Used to compare anchor sets (`anchors: refit`), where mAP mixes
 * localisation with recall. `truePositives: 0` gives error 1.
 */
export function localisationError(
  detections: readonly (readonly Detection[])[],
  truths: readonly (readonly GroundTruth[])[],
  options: { readonly confidence: number; readonly iouThreshold?: number },
): LocalisationError {
  const threshold = options.iouThreshold ?? 0.5;
  let sum = 0;
  let count = 0;
  detections.forEach((all, image) => {
    const kept = all.filter((d) => d.score >= options.confidence).sort((a, b) => b.score - a.score);
    const list = truths[image] ?? [];
    const ious = list.map((g) => kept.map((d) => (d.cls === g.cls ? xyxyIoU(g.box, d.box) : 0)));
    const candidates = pairsByIoU(ious, (iou) => iou >= threshold);
    for (const pair of firstOf(firstOf(candidates, (p) => p.d), (p) => p.t)) {
      sum += pair.iou;
      count += 1;
    }
  });
  const meanIou = count > 0 ? sum / count : 0;
  return { error: 1 - meanIou, meanIou, truePositives: count, confidence: options.confidence, iouThreshold: threshold };
}
