export { yoloV5Plugin } from './plugin.js';
export {
  YOLOV5_DEFAULT_ANCHORS,
  YOLOV5_DEFAULT_STRIDES,
  YOLOV5_LOSS_DEFAULTS,
  defaultBalance,
  resolveYoloV5LossConfig,
  trainPyGains,
  type YoloV5LossConfig,
  type YoloV5LossGains,
  type YoloV5LossHyperparameters,
  type YoloV5LossOptions,
} from './loss/loss-config.js';
export { buildTargets, checkTargets, type LevelGrid, type LevelTargets, type TargetMatching, type YoloTargets } from './loss/build-targets.js';
export { bceWithLogits, type BinaryLossOptions } from './loss/bce-with-logits.js';
export { computeYoloV5Loss, createYoloV5Loss, type SoftClassTargets, type YoloV5Loss, type YoloV5LossOutput, type YoloV5LossTerms } from './loss/yolo-v5-loss.js';
export { buildYoloV5, yoloV5Spec, YOLOV5_SCALES, YOLOV5_YAML_FILE, type BuildYoloV5Options } from './model/build-yolo-v5.js';
export { YOLOV5_YAML } from './model/yolov5-yaml.js';
export { yoloV5Model } from './model-descriptor.js';
export { yoloV5LossFunction } from './native-loss.js';
