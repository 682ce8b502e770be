import type { Detection, GroundTruth } from '@yolo-distill/core';
import { evaluateCoco, type CocoSummary } from '../coco/coco-evaluator.js';
import type { EvalDetection, EvalGroundTruth } from '../coco/coco-types.js';
import { apPerClass, type ApPerClassResult } from './ap-per-class.js';
import { ConfusionMatrix, type ConfusionMatrixJson, type ConfusionMatrixOptions } from './confusion-matrix.js';
import { localisationError, type LocalisationError } from './localisation-error.js';
import { IOU_THRESHOLDS, matchPredictions } from './match-predictions.js';

/** A ground-truth box as scored here: COCO's `area` (the segment area), when given, decides small / medium / large as pycocotools does; otherwise the box's area. */
export interface ScoredTruth extends GroundTruth {
  readonly area?: number;
}

export interface EvaluateDetectionsOptions {
  /** Class count (confusion matrix size); defaults to the largest class seen + 1. */
  readonly numClasses?: number;
  /** Smoothing of the mean F1 curve before its argmax (see `apPerClass`); Ultralytics: 0.1. */
  readonly f1Smoothing?: number;
  /** Thresholds of the confusion matrix; Ultralytics: confidence 0.25, IoU 0.45. */
  readonly confusion?: ConfusionMatrixOptions;
}

/** One class with ground truth: COCO AP, and precision/recall/F1 at the best mean-F1 confidence. */
export interface ClassEvaluation {
  readonly cls: number;
  /** Images with at least one (non-crowd) box of the class. */
  readonly images: number;
  /** Non-crowd boxes of the class. */
  readonly instances: number;
  readonly predictions: number;
  /** COCO AP@0.5:0.95 and AP@0.5. */
  readonly ap: number;
  readonly ap50: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** The confidence where this class's own F1 peaks, and that F1. */
  readonly bestConfidence: number;
  readonly bestF1: number;
}

/** Everything `evaluateDetections` measures; JSON-able. */
export interface DetectionEvaluation {
  readonly images: number;
  readonly instances: number;
  /** COCO mAP@0.5:0.95, mAP@0.5, mAP@0.75 (pycocotools). */
  readonly map: number;
  readonly map50: number;
  readonly map75: number;
  /** Mean precision, recall and F1 over classes at the best mean-F1 confidence (Ultralytics' P and R). */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly confidence: number;
  readonly classes: readonly ClassEvaluation[];
  readonly coco: CocoSummary;
  /** Ultralytics-style AP (its `compute_ap`, greedy IoU matching) next to COCO's, for comparison with its printouts. */
  readonly ultralytics: { readonly map50: number; readonly map: number };
  readonly confusion: ConfusionMatrixJson;
  /** 1 - mean IoU of the true positives at IoU 0.5, at the best mean-F1 confidence (where P and R are read). */
  readonly localisation: LocalisationError;
}

/** Core's xyxy boxes as COCO's xywh detections and truths, images numbered by their index. */
export function toCocoInputs(
  detections: readonly (readonly Detection[])[],
  truths: readonly (readonly ScoredTruth[])[],
): { detections: EvalDetection[]; truths: EvalGroundTruth[] } {
  const xywh = (box: Detection['box']): [number, number, number, number] => [box[0], box[1], box[2] - box[0], box[3] - box[1]];
  return {
    detections: detections.flatMap((list, image) => list.map((d) => ({ image, category: d.cls, box: xywh(d.box), score: d.score }))),
    truths: truths.flatMap((list, image) =>
      list.map((g) => ({ image, category: g.cls, box: xywh(g.box), ...(g.crowd === true ? { crowd: true } : {}), ...(g.area !== undefined ? { area: g.area } : {}) })),
    ),
  };
}

/**
 * Scores detections against ground truth, image by image (`detections[i]` and `truths[i]` are the same
 * image; boxes xyxy in pixels): COCO mAP exactly as pycocotools (crowd truths honoured), and
 * Ultralytics' precision/recall/F1 curves, best-F1 confidence and confusion matrix (crowd truths left
 * out there, as YOLO labels have none).
 */
export function evaluateDetections(
  detections: readonly (readonly Detection[])[],
  truths: readonly (readonly ScoredTruth[])[],
  options: EvaluateDetectionsOptions = {},
): DetectionEvaluation {
  if (detections.length !== truths.length) throw new RangeError(`evaluateDetections: ${detections.length} images of detections but ${truths.length} of ground truth`);
  const coco = toCocoInputs(detections, truths);
  const summary = evaluateCoco(coco.detections, coco.truths);
  const counted = truths.map((list) => list.filter((g) => g.crowd !== true));
  const pr = precisionRecall(detections, counted, options.f1Smoothing);

  const numClasses = options.numClasses ?? highestClass(detections, truths) + 1;
  const confusion = new ConfusionMatrix(numClasses, options.confusion);
  detections.forEach((list, image) => confusion.processBatch(list, counted[image] ?? []));

  const classes: ClassEvaluation[] = pr.classes.map((c) => ({
    cls: c.cls,
    images: counted.filter((list) => list.some((g) => g.cls === c.cls)).length,
    instances: c.truths,
    predictions: c.predictions,
    ap: summary.perClass[c.cls]?.ap ?? 0,
    ap50: summary.perClass[c.cls]?.ap50 ?? 0,
    precision: c.atBest.precision,
    recall: c.atBest.recall,
    f1: c.atBest.f1,
    bestConfidence: c.ownBest.confidence,
    bestF1: c.ownBest.f1,
  }));
  return {
    images: truths.length,
    instances: counted.reduce((sum, list) => sum + list.length, 0),
    map: summary.map,
    map50: summary.map50,
    map75: summary.map75,
    precision: pr.best.precision,
    recall: pr.best.recall,
    f1: pr.best.f1,
    confidence: pr.best.confidence,
    classes,
    coco: summary,
    ultralytics: { map50: pr.map50, map: pr.map },
    confusion: confusion.toJSON(),
    localisation: localisationError(detections, counted, { confidence: pr.best.confidence }),
  };
}

/** Ultralytics' validation metrics: `match_predictions` per image, then `ap_per_class` over all of them. */
export function precisionRecall(
  detections: readonly (readonly Detection[])[],
  truths: readonly (readonly GroundTruth[])[],
  smoothing?: number,
): ApPerClassResult {
  const correct: boolean[][] = [];
  const confidence: number[] = [];
  const predictedClass: number[] = [];
  detections.forEach((list, image) => {
    correct.push(...matchPredictions(list, truths[image] ?? [], IOU_THRESHOLDS));
    for (const d of list) {
      confidence.push(d.score);
      predictedClass.push(d.cls);
    }
  });
  const targetClass = truths.flatMap((list) => list.map((g) => g.cls));
  return apPerClass({ correct, confidence, predictedClass, targetClass }, smoothing === undefined ? {} : { smoothing });
}

/** The highest class id among detections and truths (0 when there are none); a loop, as a spread of 300k detections overflows the stack. */
function highestClass(detections: readonly (readonly Detection[])[], truths: readonly (readonly GroundTruth[])[]): number {
  let highest = 0;
  for (const list of detections) for (const d of list) if (d.cls > highest) highest = d.cls;
  for (const list of truths) for (const g of list) if (g.cls > highest) highest = g.cls;
  return highest;
}
