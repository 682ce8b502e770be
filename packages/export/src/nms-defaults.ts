import type { NmsSettings } from './onnx/nms-head.js';

/** NMS in an exported graph: Ultralytics' predictor defaults (conf 0.25, IoU 0.45 as yolov5's detect.py, 300 boxes). */
export const DEFAULT_NMS: NmsSettings = { confThreshold: 0.25, iouThreshold: 0.45, maxDetections: 300 };
