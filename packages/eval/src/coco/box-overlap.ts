import type { XywhBox } from './coco-types.js';

/** COCO's IoU (`maskUtils.iou` for boxes): for a crowd ground truth, intersection over the detection's area. */
export function cocoIoU(detection: XywhBox, truth: XywhBox, crowd: boolean): number {
  const [dx, dy, dw, dh] = detection;
  const [gx, gy, gw, gh] = truth;
  const iw = Math.min(dx + dw, gx + gw) - Math.max(dx, gx);
  const ih = Math.min(dy + dh, gy + gh) - Math.max(dy, gy);
  if (iw <= 0 || ih <= 0) return 0;
  const intersection = iw * ih;
  const union = crowd ? dw * dh : dw * dh + gw * gh - intersection;
  return union > 0 ? intersection / union : 0;
}
