export { yoloV7Plugin } from './plugin.js';
export { buildYoloV7, yoloV7Spec, yoloV7YamlFile, YOLOV7_SCALES, type BuildYoloV7Options, type YoloV7Scale } from './model/build-yolo-v7.js';
export { yolov7Modules } from './model/yolov7-modules.js';
export { YOLOV7_TINY_YAML, YOLOV7_YAML } from './model/yolov7-yamls.js';
export { classCost, dynamicKMatching, iouCost } from './loss/dynamic-k-matching.js';
export { simOtaAssign, type SimOtaInput } from './loss/sim-ota-assign.js';
export { computeYoloV7Loss, createYoloV7Loss, YOLOV7_HYP, YOLOV7_TINY_HYP, type YoloV7Loss } from './loss/yolo-v7-loss.js';
export { yoloV7LossFunction } from './loss/v7-loss-function.js';
export { yoloV7Model } from './model-descriptor.js';
