export { yoloV8Plugin } from './plugin.js';
export { buildYoloV8, yoloV8Spec, YOLOV8_SCALES, YOLOV8_YAML_FILE, type BuildYoloV8Options } from './model/build-yolo-v8.js';
export { YOLOV8_YAML } from './model/yolov8-yaml.js';
