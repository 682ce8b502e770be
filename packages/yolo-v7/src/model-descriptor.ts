import { adapterModelDescriptor } from '@yolo-distill/yolo';
import { YOLOV7_HYP, YOLOV7_TINY_HYP } from './loss/yolo-v7-loss.js';
import { yoloV7LossFunction } from './loss/v7-loss-function.js';
import { buildYoloV7, YOLOV7_SCALES } from './model/build-yolo-v7.js';

/**
 * `yolov7.Model`: YOLOv7 or YOLOv7-tiny (`scale:`), fresh or with weights from a WongKinYiu/yolov7 ONNX export
 * (fused or not) or a checkpoint. Native loss: ComputeLossOTA with the hyp file of the model
 * (`hyp.scratch.p5.yaml`, `hyp.scratch.tiny.yaml`).
 */
export const yoloV7Model = adapterModelDescriptor({
  type: 'yolov7.Model',
  summary: 'YOLOv7 / YOLOv7-tiny (anchor-based IDetect), weights from a WongKinYiu/yolov7 ONNX export or a checkpoint',
  scales: YOLOV7_SCALES,
  defaultScale: 'yolov7',
  build: ({ scale, numClasses, seed, yaml }) =>
    buildYoloV7({ scale, numClasses, seed, loss: yoloV7LossFunction(scale === 'yolov7-tiny' ? YOLOV7_TINY_HYP : YOLOV7_HYP), ...(yaml ? { yaml } : {}) }),
});
