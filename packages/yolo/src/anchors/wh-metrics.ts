/** A box or anchor size `[w, h]` in input pixels. */
export type BoxWh = readonly [number, number];

/**
 * IoU of two boxes placed on the same centre: `min(w) * min(h) / (a + b - min(w) * min(h))`. This is
 * the similarity k-means clusters anchors by (distance `1 - IoU`, YOLOv2's choice over Euclidean).
 */
export function centredIoU(aw: number, ah: number, bw: number, bh: number): number {
  const inter = Math.min(aw, bw) * Math.min(ah, bh);
  return inter / (aw * ah + bw * bh - inter);
}

/**
 * Ultralytics' wh-ratio metric (`utils/autoanchor.py`, `metric`): with `r = box / anchor` per side,
 * the worse side's `min(r, 1 / r)`. YOLOv5 training matches a box to an anchor when this exceeds
 * `1 / anchor_t` (anchor_t = 4: no side more than 4x larger or smaller).
 */
export function whRatio(boxW: number, boxH: number, anchorW: number, anchorH: number): number {
  const rw = boxW / anchorW;
  const rh = boxH / anchorH;
  return Math.min(rw, 1 / rw, rh, 1 / rh);
}
