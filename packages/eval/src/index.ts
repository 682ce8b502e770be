export { evalPlugin, EVAL_PACKAGE_VERSION } from './plugin.js';
export { evaluateCoco, type CocoSummary } from './coco/coco-evaluator.js';
export { COCO_PARAMS, type CocoParams, type EvalDetection, type EvalGroundTruth, type XywhBox } from './coco/coco-types.js';
export { cocoIoU } from './coco/box-overlap.js';

export { CocoMapMetric, cocoMapMetric, cocoMapSchema, type CocoMapConfig } from './metric-descriptors.js';
export {
  apPerClass,
  computeAp,
  type ApPerClassInput,
  type ApPerClassOptions,
  type ApPerClassResult,
  type ClassPrCurves,
  type OperatingPoint,
} from './metrics/ap-per-class.js';
export { ConfusionMatrix, type ConfusionMatrixJson, type ConfusionMatrixOptions } from './metrics/confusion-matrix.js';
export {
  evaluateDetections,
  precisionRecall,
  toCocoInputs,
  type ClassEvaluation,
  type DetectionEvaluation,
  type EvaluateDetectionsOptions,
  type ScoredTruth,
} from './metrics/evaluate-detections.js';
export { IOU_THRESHOLDS, iouMatrix, matchOneToOne, matchPredictions, xyxyIoU, type XyxyBox } from './metrics/match-predictions.js';
export { argmax, interp, linspace, roundHalfEven, smooth, trapezoid, type InterpOptions } from './metrics/numeric.js';

export { latencyStats, percentileOfSorted, type LatencyStats } from './latency/latency-stats.js';
export { measure, measureOnnx, measureTfjs, type Clock, type MeasureOptions } from './latency/measure.js';

export { profileConvolutions, type ConvCall } from './stats/conv-flops.js';
export { FLOPS_CONVENTION, modelStats, type LayerStats, type ModelStats } from './stats/model-stats.js';
export { meanCi, pairedGains, type MeanCi } from './stats/paired-stats.js';
export { modelFileSize, type FileSize } from './stats/file-size.js';

export { formatPredictionProblem, PredictionFileError, type PredictionProblem } from './predictions/prediction-problem.js';
export { parseYoloPredictions, type PredictionParseOptions, type YoloPrediction } from './predictions/yolo-predictions.js';
export { parseCocoResults, type CocoResult, type CocoResultsOptions } from './predictions/coco-results.js';
