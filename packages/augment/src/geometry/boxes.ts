import type { LabelRows } from '@yolo-distill/core';
import { applyAffine, type Affine } from './affine.js';

/** Boxes in pixels, `[x1, y1, x2, y2]` each, with their class ids; the working form of labels while transforming. */
export interface PixelBoxes {
  readonly classes: Float32Array;
  readonly xyxy: Float64Array;
  readonly count: number;
}

/**
 * Which transformed boxes are kept: Ultralytics' `box_candidates`. A box survives when its width and
 * height after the transform are both more than `minSize` pixels, its area is more than `minAreaRatio`
 * of its area before (the "before" box already scaled by the transform's zoom, so zooming out alone
 * drops nothing), and its aspect ratio max(w/h, h/w) is under `maxAspect`.
 */
export interface BoxFilter {
  readonly minSize: number;
  readonly minAreaRatio: number;
  readonly maxAspect: number;
}

/** Ultralytics' thresholds: `wh_thr=2`, `area_thr=0.1` (boxes, no segments), `ar_thr=100`. */
export const BOX_FILTER: BoxFilter = { minSize: 2, minAreaRatio: 0.1, maxAspect: 100 };

const EPS = 1e-16;

/** Ultralytics' `box_candidates` for one box: sizes `w1 x h1` before (scaled by the zoom), `w2 x h2` after. */
export function isBoxCandidate(w1: number, h1: number, w2: number, h2: number, filter: BoxFilter = BOX_FILTER): boolean {
  const aspect = Math.max(w2 / (h2 + EPS), h2 / (w2 + EPS));
  return w2 > filter.minSize && h2 > filter.minSize && (w2 * h2) / (w1 * h1 + EPS) > filter.minAreaRatio && aspect < filter.maxAspect;
}

/** Normalised `[cls, cx, cy, w, h]` rows to pixel boxes of a `width x height` image, shifted by `(padX, padY)`. */
export function labelsToPixels(labels: LabelRows, width: number, height: number, padX = 0, padY = 0): PixelBoxes {
  const classes = new Float32Array(labels.count);
  const xyxy = new Float64Array(labels.count * 4);
  const rows = labels.rows;
  for (let i = 0; i < labels.count; i++) {
    const cx = rows[i * 5 + 1];
    const cy = rows[i * 5 + 2];
    const w = rows[i * 5 + 3];
    const h = rows[i * 5 + 4];
    classes[i] = rows[i * 5];
    xyxy[i * 4] = (cx - w / 2) * width + padX;
    xyxy[i * 4 + 1] = (cy - h / 2) * height + padY;
    xyxy[i * 4 + 2] = (cx + w / 2) * width + padX;
    xyxy[i * 4 + 3] = (cy + h / 2) * height + padY;
  }
  return { classes, xyxy, count: labels.count };
}

/** Pixel boxes of a `width x height` image back to normalised `[cls, cx, cy, w, h]` rows. */
export function pixelsToLabels(boxes: PixelBoxes, width: number, height: number): LabelRows {
  const rows = new Float32Array(boxes.count * 5);
  const b = boxes.xyxy;
  for (let i = 0; i < boxes.count; i++) {
    rows[i * 5] = boxes.classes[i];
    rows[i * 5 + 1] = (b[i * 4] + b[i * 4 + 2]) / 2 / width;
    rows[i * 5 + 2] = (b[i * 4 + 1] + b[i * 4 + 3]) / 2 / height;
    rows[i * 5 + 3] = (b[i * 4 + 2] - b[i * 4]) / width;
    rows[i * 5 + 4] = (b[i * 4 + 3] - b[i * 4 + 1]) / height;
  }
  return { rows, count: boxes.count };
}

function select(boxes: PixelBoxes, xyxy: Float64Array, keep: readonly number[]): PixelBoxes {
  const classes = new Float32Array(keep.length);
  const kept = new Float64Array(keep.length * 4);
  keep.forEach((index, k) => {
    classes[k] = boxes.classes[index];
    kept.set(xyxy.subarray(index * 4, index * 4 + 4), k * 4);
  });
  return { classes, xyxy: kept, count: keep.length };
}

/**
 * Clips boxes to `[0, width] x [0, height]` and drops those left with no area: what Ultralytics' Mosaic
 * does to the boxes on its canvas (`clip` + `remove_zero_area_boxes`).
 */
export function clipBoxes(boxes: PixelBoxes, width: number, height: number): PixelBoxes {
  const xyxy = new Float64Array(boxes.count * 4);
  const keep: number[] = [];
  for (let i = 0; i < boxes.count; i++) {
    const x1 = Math.min(Math.max(boxes.xyxy[i * 4], 0), width);
    const y1 = Math.min(Math.max(boxes.xyxy[i * 4 + 1], 0), height);
    const x2 = Math.min(Math.max(boxes.xyxy[i * 4 + 2], 0), width);
    const y2 = Math.min(Math.max(boxes.xyxy[i * 4 + 3], 0), height);
    xyxy.set([x1, y1, x2, y2], i * 4);
    if (x2 > x1 && y2 > y1) keep.push(i);
  }
  return select(boxes, xyxy, keep);
}

export function concatBoxes(parts: readonly PixelBoxes[]): PixelBoxes {
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const classes = new Float32Array(count);
  const xyxy = new Float64Array(count * 4);
  let at = 0;
  for (const part of parts) {
    classes.set(part.classes, at);
    xyxy.set(part.xyxy, at * 4);
    at += part.count;
  }
  return { classes, xyxy, count };
}

/**
 * Moves boxes by `m` as Ultralytics' `RandomPerspective.apply_bboxes` does: the four corners of each
 * box are mapped and their bounding box taken; then boxes are clipped to the `width x height` output
 * and filtered by `isBoxCandidate`, comparing against the box before the map scaled by `zoom` (the
 * map's scale factor).
 */
export function transformBoxes(boxes: PixelBoxes, m: Affine, width: number, height: number, zoom: number, filter: BoxFilter = BOX_FILTER): PixelBoxes {
  const xyxy = new Float64Array(boxes.count * 4);
  const keep: number[] = [];
  const b = boxes.xyxy;
  for (let i = 0; i < boxes.count; i++) {
    const x1 = b[i * 4];
    const y1 = b[i * 4 + 1];
    const x2 = b[i * 4 + 2];
    const y2 = b[i * 4 + 3];
    const corners = [applyAffine(m, x1, y1), applyAffine(m, x2, y2), applyAffine(m, x1, y2), applyAffine(m, x2, y1)];
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    const nx1 = Math.min(Math.max(Math.min(...xs), 0), width);
    const ny1 = Math.min(Math.max(Math.min(...ys), 0), height);
    const nx2 = Math.min(Math.max(Math.max(...xs), 0), width);
    const ny2 = Math.min(Math.max(Math.max(...ys), 0), height);
    xyxy.set([nx1, ny1, nx2, ny2], i * 4);
    if (isBoxCandidate((x2 - x1) * zoom, (y2 - y1) * zoom, nx2 - nx1, ny2 - ny1, filter)) keep.push(i);
  }
  return select(boxes, xyxy, keep);
}
