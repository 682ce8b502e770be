import { adapterModelDescriptor, yoloV5LossFunction } from '@yolo-distill/yolo';
import { buildYoloV5, YOLOV5_SCALES } from './model/build-yolo-v5.js';

/** `yolov5.Model`: a YOLOv5 of a scale, fresh or with weights from an Ultralytics ONNX export or a checkpoint. */
export const yoloV5Model = adapterModelDescriptor({
  type: 'yolov5.Model',
  summary: 'YOLOv5 n/s/m/l/x (anchor-based), weights from an Ultralytics ONNX export or a checkpoint',
  scales: YOLOV5_SCALES,
  defaultScale: 'n',
  build: ({ scale, numClasses, seed, yaml }) => buildYoloV5({ scale, numClasses, seed, loss: yoloV5LossFunction(), ...(yaml ? { yaml } : {}) }),
});
