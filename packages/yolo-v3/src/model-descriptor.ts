import { adapterModelDescriptor, yoloV5LossFunction } from '@yolo-distill/yolo';
import { buildYoloV3, YOLOV3_SCALES } from './model/build-yolo-v3.js';

/**
 * `yolov3.Model`: YOLOv3, YOLOv3-tiny or YOLOv3-SPP (`scale:`), fresh or with weights from an
 * ultralytics/yolov3 ONNX export or a checkpoint. Its native loss is the repository's ComputeLoss, the
 * same as yolov5's (shared in @yolo-distill/yolo).
 */
export const yoloV3Model = adapterModelDescriptor({
  type: 'yolov3.Model',
  summary: 'YOLOv3 / YOLOv3-tiny / YOLOv3-SPP (anchor-based), weights from an ultralytics/yolov3 ONNX export or a checkpoint',
  scales: YOLOV3_SCALES,
  defaultScale: 'yolov3',
  build: ({ scale, numClasses, seed, yaml }) => buildYoloV3({ scale, numClasses, seed, loss: yoloV5LossFunction(), ...(yaml ? { yaml } : {}) }),
});
