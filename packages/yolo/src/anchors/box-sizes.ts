import type { BoxWh } from './wh-metrics.js';

/** Box sizes as two flat arrays, after dropping what cannot take part in anchor statistics. */
export interface BoxSizes {
  readonly w: Float64Array;
  readonly h: Float64Array;
  /** Boxes given. */
  readonly given: number;
  /** Dropped: a side zero, negative or not finite. */
  readonly invalid: number;
  /** Dropped: both sides below `minSize` pixels (Ultralytics' `kmean_anchors` keeps boxes with a side >= 2 px). */
  readonly tiny: number;
}

/** Valid box sizes (both sides finite and > 0) with at least one side >= `minSize` pixels. */
export function boxSizes(boxes: readonly BoxWh[], minSize = 0): BoxSizes {
  const w: number[] = [];
  const h: number[] = [];
  let invalid = 0;
  let tiny = 0;
  for (const [bw, bh] of boxes) {
    if (!(Number.isFinite(bw) && Number.isFinite(bh) && bw > 0 && bh > 0)) invalid++;
    else if (bw < minSize && bh < minSize) tiny++;
    else {
      w.push(bw);
      h.push(bh);
    }
  }
  return { w: Float64Array.from(w), h: Float64Array.from(h), given: boxes.length, invalid, tiny };
}

/** "12 boxes (2 invalid, 1 below 2 px dropped)" for messages. */
export function describeDropped(sizes: BoxSizes, minSize: number): string {
  const parts = [sizes.invalid > 0 ? `${sizes.invalid} with a zero, negative or non-finite side` : '', sizes.tiny > 0 ? `${sizes.tiny} smaller than ${minSize} px` : ''].filter(Boolean);
  return parts.length === 0 ? '' : ` (dropped ${parts.join(' and ')})`;
}
