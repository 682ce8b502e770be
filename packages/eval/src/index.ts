export { evalPlugin } from './plugin.js';
export { evaluateCoco, type CocoSummary } from './coco/coco-evaluator.js';
export { COCO_PARAMS, type CocoParams, type EvalDetection, type EvalGroundTruth, type XywhBox } from './coco/coco-types.js';
export { cocoIoU } from './coco/box-overlap.js';
