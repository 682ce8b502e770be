import type { HeadLayout } from './onnx/head-layout.js';

/**
 * yolov5's export constants for one level, `[na, H, W, 2]` flattened: `grid` = (x - 0.5, y - 0.5) per
 * cell, `anchorGrid` = the anchor's (w, h) in pixels, anchor-major (the order of the decoded rows).
 */
export function anchorGrids(layout: HeadLayout, level: number): { readonly grid: Float32Array; readonly anchorGrid: Float32Array } {
  const na = layout.anchorsPerLevel;
  const [h, w] = layout.grids[level] as readonly [number, number];
  const anchors = layout.head.anchors?.[level] ?? [];
  const grid = new Float32Array(na * h * w * 2);
  const anchorGrid = new Float32Array(na * h * w * 2);
  for (let a = 0; a < na; a++) {
    const [aw, ah] = anchors[a] ?? [0, 0];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = ((a * h + y) * w + x) * 2;
        [grid[at], grid[at + 1], anchorGrid[at], anchorGrid[at + 1]] = [x - 0.5, y - 0.5, aw, ah];
      }
    }
  }
  return { grid, anchorGrid };
}

/** Ultralytics' anchor points (cell centres, in cells) and each one's stride, over all levels in row order. */
export function anchorPoints(layout: HeadLayout): { readonly xs: Float32Array; readonly ys: Float32Array; readonly strides: Float32Array } {
  const n = layout.boxes;
  const [xs, ys, strides] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  let k = 0;
  layout.grids.forEach(([h, w], level) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        [xs[k], ys[k], strides[k]] = [x + 0.5, y + 0.5, layout.head.strides[level] as number];
        k += 1;
      }
    }
  });
  return { xs, ys, strides };
}
