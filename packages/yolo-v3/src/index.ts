export { yoloV3Plugin } from './plugin.js';
export { buildYoloV3, yoloV3Spec, yoloV3YamlFile, YOLOV3_SCALES, type BuildYoloV3Options, type YoloV3Scale } from './model/build-yolo-v3.js';
export { yolov3Modules } from './model/yolov3-modules.js';
export { YOLOV3_SPP_YAML, YOLOV3_TINY_YAML, YOLOV3_YAML } from './model/yolov3-yamls.js';
export { yoloV3Model } from './model-descriptor.js';
