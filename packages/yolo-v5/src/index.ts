export { yoloV5Plugin } from './plugin.js';
// The v5-family loss lives in @yolo-distill/yolo (YOLOv3 computes the same ComputeLoss); re-exported here.
export {
  YOLOV5_DEFAULT_ANCHORS,
  YOLOV5_DEFAULT_STRIDES,
  YOLOV5_LOSS_DEFAULTS,
  bceWithLogits,
  buildTargets,
  checkTargets,
  computeYoloV5Loss,
  createYoloV5Loss,
  defaultBalance,
  resolveYoloV5LossConfig,
  trainPyGains,
  yoloV5LossFunction,
  type BinaryLossOptions,
  type LevelGrid,
  type LevelTargets,
  type SoftClassTargets,
  type TargetMatching,
  type YoloTargets,
  type YoloV5Loss,
  type YoloV5LossConfig,
  type YoloV5LossGains,
  type YoloV5LossHyperparameters,
  type YoloV5LossOptions,
  type YoloV5LossOutput,
  type YoloV5LossTerms,
} from '@yolo-distill/yolo';
export { buildYoloV5, yoloV5Spec, YOLOV5_SCALES, YOLOV5_YAML_FILE, type BuildYoloV5Options } from './model/build-yolo-v5.js';
export { YOLOV5_YAML } from './model/yolov5-yaml.js';
export { yoloV5Model } from './model-descriptor.js';
