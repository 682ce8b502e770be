import { maxPool2dModule, ModuleRegistry, YOLOV5_MODULES, zeroPad2dModule } from '@yolo-distill/yolo';

/**
 * The modules the ultralytics/yolov3 YAMLs name: that repository's `models/yolo.py` is yolov5's (Conv,
 * yolov5's Bottleneck with cv1 1x1 and cv2 3x3, SPP, Concat, nn.Upsample, the anchor-based Detect), plus
 * the torch layers YOLOv3-tiny uses as rows (`nn.MaxPool2d`, `nn.ZeroPad2d`).
 */
export const yolov3Modules = (): ModuleRegistry => new ModuleRegistry('yolov3', [...YOLOV5_MODULES, maxPool2dModule, zeroPad2dModule]);
