import { adapterModelDescriptor, yoloV8LossFunction } from '@yolo-distill/yolo';
import { buildYoloV8, YOLOV8_SCALES } from './model/build-yolo-v8.js';

/** `yolov8.Model`: a YOLOv8 of a scale, fresh or with weights from an Ultralytics ONNX export or a checkpoint. */
export const yoloV8Model = adapterModelDescriptor({
  type: 'yolov8.Model',
  summary: 'YOLOv8 n/s/m/l/x (anchor-free, DFL), weights from an Ultralytics ONNX export or a checkpoint',
  scales: YOLOV8_SCALES,
  defaultScale: 'n',
  build: ({ scale, numClasses, seed, yaml }) => buildYoloV8({ scale, numClasses, seed, loss: yoloV8LossFunction(), ...(yaml ? { yaml } : {}) }),
});
