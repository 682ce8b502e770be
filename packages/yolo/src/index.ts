export { yoloPlugin } from './plugin.js';
export { boxIoU, xywhToXyxy, xyxyToXywh, type BoxFormat, type BoxIoUOptions, type IoUKind } from './boxes/box-iou.js';
export { stopGradient } from './tensor/stop-gradient.js';
