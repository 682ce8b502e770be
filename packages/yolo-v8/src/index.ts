export { yoloV8Plugin } from './plugin.js';
// The v8-family loss (BCE, DFL, the task-aligned loss) lives in @yolo-distill/yolo, for every anchor-free adapter; re-exported here.
export {
  YOLOV8_LOSS_DEFAULTS,
  computeYoloV8Loss,
  createYoloV8Loss,
  decodeDistances,
  distributionFocalLoss,
  padTargets,
  resolveYoloV8LossConfig,
  yoloV8LossFunction,
  type DetectionTargets,
  type PaddedTargets,
  type YoloV8AssignerSettings,
  type YoloV8Loss,
  type YoloV8LossConfig,
  type YoloV8LossGains,
  type YoloV8LossOptions,
  type YoloV8LossOutput,
  type YoloV8LossTerms,
} from '@yolo-distill/yolo';
export { buildYoloV8, yoloV8Spec, YOLOV8_SCALES, YOLOV8_YAML_FILE, type BuildYoloV8Options } from './model/build-yolo-v8.js';
export { YOLOV8_YAML } from './model/yolov8-yaml.js';
export { yoloV8Model } from './model-descriptor.js';
