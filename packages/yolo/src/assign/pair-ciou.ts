/**
 * CIoU of one pair of xyxy boxes read from flat arrays at `box1[i1..i1+3]` and `box2[i2..i2+3]`,
 * in plain numbers: the same formula as `boxIoU(..., { kind: 'ciou' })` and Ultralytics'
 * `bbox_iou(..., CIoU=True)` (eps 1e-7 added to heights, union and enclosing diagonal), for the
 * assigner, which works on arrays and needs no gradient.
 */
export function pairCIoU(box1: ArrayLike<number>, i1: number, box2: ArrayLike<number>, i2: number, eps = 1e-7): number {
  const ax1 = box1[i1] as number;
  const ay1 = box1[i1 + 1] as number;
  const ax2 = box1[i1 + 2] as number;
  const ay2 = box1[i1 + 3] as number;
  const bx1 = box2[i2] as number;
  const by1 = box2[i2 + 1] as number;
  const bx2 = box2[i2 + 2] as number;
  const by2 = box2[i2 + 3] as number;
  const w1 = ax2 - ax1;
  const h1 = ay2 - ay1 + eps;
  const w2 = bx2 - bx1;
  const h2 = by2 - by1 + eps;
  const inter = Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0) * Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0);
  const union = w1 * h1 + w2 * h2 - inter + eps;
  const iou = inter / union;
  const cw = Math.max(ax2, bx2) - Math.min(ax1, bx1);
  const ch = Math.max(ay2, by2) - Math.min(ay1, by1);
  const diagonal = cw * cw + ch * ch + eps;
  const centreDistance = ((bx1 + bx2 - ax1 - ax2) ** 2 + (by1 + by2 - ay1 - ay2) ** 2) / 4;
  const v = (4 / Math.PI ** 2) * (Math.atan(w2 / h2) - Math.atan(w1 / h1)) ** 2;
  const alpha = v / (v - iou + 1 + eps);
  return iou - (centreDistance / diagonal + v * alpha);
}
