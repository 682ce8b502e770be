export { yoloV8Plugin } from './plugin.js';
export {
  YOLOV8_LOSS_DEFAULTS,
  resolveYoloV8LossConfig,
  type YoloV8AssignerSettings,
  type YoloV8LossConfig,
  type YoloV8LossGains,
  type YoloV8LossOptions,
} from './loss/loss-config.js';
export {
  computeYoloV8Loss,
  createYoloV8Loss,
  type DetectionTargets,
  type YoloV8Loss,
  type YoloV8LossOutput,
  type YoloV8LossTerms,
} from './loss/yolo-v8-loss.js';
export { decodeDistances } from './loss/distribution-decode.js';
export { distributionFocalLoss } from './loss/dfl-loss.js';
export { padTargets, type PaddedTargets } from './loss/pad-targets.js';
export { buildYoloV8, yoloV8Spec, YOLOV8_SCALES, YOLOV8_YAML_FILE, type BuildYoloV8Options } from './model/build-yolo-v8.js';
export { YOLOV8_YAML } from './model/yolov8-yaml.js';
export { yoloV8Model } from './model-descriptor.js';
export { yoloV8LossFunction } from './native-loss.js';
