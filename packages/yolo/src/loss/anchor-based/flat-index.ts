/**
 * Index bookkeeping between matches and a level tensor reshaped from [B, H, W, na*(5+nc)] to
 * [B*H*W*na, 5+nc] (rows in image, y, x, anchor order). tfjs registers no gradient for GatherNd, so the
 * loss gathers rows of that 2-D view with `tf.gather` (GatherV2, which has one) at these flat indices.
 */
import type { LevelGrid, LevelTargets } from './build-targets.js';

/** The row of the reshaped level that each match reads (`pi[b, a, gj, gi]` upstream). */
export function predictionRows(matches: LevelTargets, grid: LevelGrid, numAnchors: number): Int32Array {
  const rows = new Int32Array(matches.count);
  for (let k = 0; k < matches.count; k++) {
    const cell = ((matches.image[k] as number) * grid.height + (matches.gridY[k] as number)) * grid.width + (matches.gridX[k] as number);
    rows[k] = cell * numAnchors + (matches.anchor[k] as number);
  }
  return rows;
}

/**
 * For each of `totalRows` rows: 0 when no match writes its objectness target, else 1 + the index of the
 * match whose IoU it receives. Upstream's `tobj[b, a, gj, gi] = iou` keeps one value when matches share a
 * cell and anchor; here the last one in match order wins, as PyTorch's serial CPU `index_put_` does
 * (on CUDA upstream's pick among duplicates is unspecified).
 */
export function objectnessSlots(rows: Int32Array, totalRows: number): Int32Array {
  const slots = new Int32Array(totalRows);
  rows.forEach((row, k) => {
    slots[row] = k + 1;
  });
  return slots;
}
