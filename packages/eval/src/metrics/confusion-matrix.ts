import type { Detection, GroundTruth } from '@yolo-distill/core';
import { iouMatrix, matchOneToOne } from './match-predictions.js';

export interface ConfusionMatrixOptions {
  /** Detections with a score above this (strictly) count; Ultralytics: 0.25. */
  readonly confidence?: number;
  /** A truth and a detection match when their IoU is above this (strictly); Ultralytics: 0.45. */
  readonly iou?: number;
}

/** What `ConfusionMatrix.toJSON` gives: the counts and the classes' names, if known. */
export interface ConfusionMatrixJson {
  readonly numClasses: number;
  readonly confidence: number;
  readonly iou: number;
  /** `(nc + 1) x (nc + 1)`, `[predicted][true]`; index `nc` is background. */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * Ultralytics' `ConfusionMatrix` for detection: rows are predicted classes, columns true classes, the
 * last row and column background. Per image (`processBatch`): detections above the confidence
 * threshold are matched to truths class-agnostically one-to-one (IoU above the threshold, best IoU
 * first); a matched truth adds to `[predicted class][true class]`, an unmatched truth to
 * `[background][true class]` (missed), an unmatched detection to `[predicted class][background]`.
 */
export class ConfusionMatrix {
  readonly confidence: number;
  readonly iou: number;
  private readonly counts: number[][];

  constructor(
    readonly numClasses: number,
    options: ConfusionMatrixOptions = {},
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`ConfusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
    this.confidence = options.confidence ?? 0.25;
    this.iou = options.iou ?? 0.45;
    this.counts = Array.from({ length: numClasses + 1 }, () => Array.from({ length: numClasses + 1 }, () => 0));
  }

  /** Adds one image's detections and ground truth (crowd flags are ignored, as Ultralytics has none). */
  processBatch(detections: readonly Detection[], truths: readonly GroundTruth[]): this {
    const background = this.numClasses;
    for (const item of [...detections, ...truths]) this.checkClass(item.cls);
    const kept = detections.filter((d) => d.score > this.confidence);
    const matchedDetection = new Map<number, number>(); // truth -> detection
    if (truths.length > 0 && kept.length > 0) {
      for (const [t, d] of matchOneToOne(iouMatrix(truths, kept), this.iou)) matchedDetection.set(t, d);
    }
    truths.forEach((g, t) => {
      const d = matchedDetection.get(t);
      this.add(d === undefined ? background : (kept[d] as Detection).cls, g.cls);
    });
    const matched = new Set(matchedDetection.values());
    kept.forEach((d, i) => (matched.has(i) ? undefined : this.add(d.cls, background)));
    return this;
  }

  /** A copy of the counts, `[predicted][true]`, background last. */
  matrix(): number[][] {
    return this.counts.map((row) => [...row]);
  }

  /** Per class: true positives (the diagonal) and false positives (the rest of its predicted row), as `tp_fp()`. */
  truePositivesFalsePositives(): { tp: number[]; fp: number[] } {
    const tp = this.counts.slice(0, -1).map((row, i) => row[i] as number);
    const fp = this.counts.slice(0, -1).map((row, i) => row.reduce((a, b) => a + b, 0) - (tp[i] as number));
    return { tp, fp };
  }

  /** Each column divided by its sum (what the normalised plot shows); empty columns stay 0. */
  normalized(): number[][] {
    const sums = this.counts[0]?.map((_, c) => this.counts.reduce((sum, row) => sum + (row[c] as number), 0)) ?? [];
    return this.counts.map((row) => row.map((v, c) => ((sums[c] as number) > 0 ? v / (sums[c] as number) : 0)));
  }

  toJSON(): ConfusionMatrixJson {
    return { numClasses: this.numClasses, confidence: this.confidence, iou: this.iou, matrix: this.matrix() };
  }

  private add(predicted: number, actual: number): void {
    (this.counts[predicted] as number[])[actual] = ((this.counts[predicted] as number[])[actual] as number) + 1;
  }

  private checkClass(cls: number): void {
    if (!Number.isInteger(cls) || cls < 0 || cls >= this.numClasses) throw new RangeError(`ConfusionMatrix: class ${cls} out of range 0..${this.numClasses - 1}`);
  }
}
