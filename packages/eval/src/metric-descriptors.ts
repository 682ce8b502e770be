import { parseWith, type Detection, type GroundTruth, type Metric, type PluginDescriptor } from '@yolo-distill/core';
import { z } from 'zod';
import { evaluateDetections, type DetectionEvaluation } from './metrics/evaluate-detections.js';

export const cocoMapSchema = z.strictObject({
  /** Fraction of the confidence grid the mean F1 curve is smoothed over before its argmax (Ultralytics: 0.1; 0 = none). */
  f1Smoothing: z.number().min(0).max(0.5).default(0.1),
  /** Report `ap.<cls>`, `ap50.<cls>`, `precision.<cls>`, `recall.<cls>` for every class with ground truth. */
  perClass: z.boolean().default(true),
});

export type CocoMapConfig = z.output<typeof cocoMapSchema>;

/**
 * `eval.CocoMap`: COCO mAP@0.5:0.95, mAP@0.5 and mAP@0.75 (pycocotools-exact) and Ultralytics'
 * precision, recall and F1 at the best mean-F1 confidence. Keys: `map`, `map50`, `map75`, `precision`,
 * `recall`, `f1`, `confidence`, `localisationError` (1 - mean IoU of the true positives at IoU 0.5 and
 * that confidence; left out when there is none), and per class (when `perClass`) `ap.<cls>`, `ap50.<cls>`,
 * `precision.<cls>`, `recall.<cls>`.
 */
export class CocoMapMetric implements Metric {
  readonly name = 'eval.CocoMap';

  constructor(private readonly config: CocoMapConfig = cocoMapSchema.parse({})) {}

  /** The full report behind `evaluate` (curves, confusion matrix, all twelve COCO numbers). */
  report(detections: readonly (readonly Detection[])[], truth: readonly (readonly GroundTruth[])[]): DetectionEvaluation {
    return evaluateDetections(detections, truth, { f1Smoothing: this.config.f1Smoothing });
  }

  evaluate(detections: readonly (readonly Detection[])[], truth: readonly (readonly GroundTruth[])[]): Record<string, number> {
    const report = this.report(detections, truth);
    const values: Record<string, number> = {
      map: report.map,
      map50: report.map50,
      map75: report.map75,
      precision: report.precision,
      recall: report.recall,
      f1: report.f1,
      confidence: report.confidence,
      ...(report.localisation.truePositives > 0 ? { localisationError: report.localisation.error } : {}),
    };
    if (this.config.perClass) {
      for (const c of report.classes) {
        values[`ap.${c.cls}`] = c.ap;
        values[`ap50.${c.cls}`] = c.ap50;
        values[`precision.${c.cls}`] = c.precision;
        values[`recall.${c.cls}`] = c.recall;
      }
    }
    return values;
  }
}

export const cocoMapMetric: PluginDescriptor<CocoMapConfig, Metric> = {
  type: 'eval.CocoMap',
  kind: 'metric',
  summary: 'COCO mAP@0.5:0.95/0.5/0.75 (pycocotools-exact), per-class AP, precision/recall at the best-F1 confidence',
  schema: cocoMapSchema,
  parse: (raw, at) => parseWith(cocoMapSchema, raw, at),
  create: (config) => new CocoMapMetric(config),
};
