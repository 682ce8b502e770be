import type { LevelGrid, LevelTargets, YoloTargets } from '@yolo-distill/yolo';
import { classCost, dynamicKMatching, iouCost } from './dynamic-k-matching.js';

/** What the assignment reads besides the candidates. */
export interface SimOtaInput {
  /** find_3_positive's candidates per level (yolov5's `buildTargets`: anchor_t filter, the cell and two neighbours). */
  readonly candidates: readonly LevelTargets[];
  /** The raw predictions at each level's candidates, `count x (5 + nc)` row-major, in candidate order. */
  readonly predictions: readonly Float32Array[];
  readonly grids: readonly LevelGrid[];
  readonly strides: readonly number[];
  readonly targets: YoloTargets;
  readonly numClasses: number;
  /** Input height and width in pixels (targets are normalised to them). */
  readonly imageHeight: number;
  readonly imageWidth: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Candidate {
  readonly level: number;
  readonly index: number;
  readonly box: readonly [number, number, number, number];
  readonly cost: (gtClass: number) => number;
}

function iouXyxy(a: readonly number[], b: readonly number[]): number {
  const iw = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const ih = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = iw * ih;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * yolov7's `ComputeLossOTA.build_targets` after `find_3_positive`: per image, the predicted boxes of every
 * candidate (pixels: `(sigmoid(xy) * 2 - 0.5 + cell) * stride`, `(sigmoid(wh) * 2)^2 * anchor * stride`)
 * against the image's gts, cost = class BCE of `sqrt(cls * obj)` + 3 * -log(IoU), dynamic-k matching; the
 * kept candidates, each with the gt it was assigned (its class, and its box relative to the candidate's
 * cell in grid units), per level in upstream's order (image, then level-0 candidates first).
 * Upstream scales both x and w by the image height; here x and w use the width (the same for square inputs).
 */
export function simOtaAssign(input: SimOtaInput): LevelTargets[] {
  const { candidates, predictions, grids, strides, targets, numClasses } = input;
  const no = 5 + numClasses;
  const out = candidates.map(() => ({ image: [] as number[], anchor: [] as number[], gridY: [] as number[], gridX: [] as number[], cls: [] as number[], box: [] as number[], anchorSize: [] as number[], targetIndex: [] as number[] }));
  const batch = grids[0]?.batch ?? 0;
  for (let image = 0; image < batch; image++) {
    const gts: number[] = [];
    for (let t = 0; t < targets.count; t++) if (Math.trunc(targets.rows[t * 6] as number) === image) gts.push(t);
    if (gts.length === 0) continue;
    const pool: Candidate[] = [];
    candidates.forEach((level, l) => {
      const stride = strides[l] as number;
      const rows = predictions[l] as Float32Array;
      for (let k = 0; k < level.count; k++) {
        if (level.image[k] !== image) continue;
        const p = rows.subarray(k * no, (k + 1) * no);
        const cx = (sigmoid(p[0]!) * 2 - 0.5 + level.gridX[k]!) * stride;
        const cy = (sigmoid(p[1]!) * 2 - 0.5 + level.gridY[k]!) * stride;
        const w = (sigmoid(p[2]!) * 2) ** 2 * level.anchorSize[2 * k]! * stride;
        const h = (sigmoid(p[3]!) * 2) ** 2 * level.anchorSize[2 * k + 1]! * stride;
        pool.push({ level: l, index: k, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], cost: classCost(p.subarray(5), p[4]!) });
      }
    });
    if (pool.length === 0) continue;
    const n = pool.length;
    const iou = new Float64Array(gts.length * n);
    const cost = new Float64Array(gts.length * n);
    gts.forEach((t, g) => {
      const [cx, cy, w, h] = [2, 3, 4, 5].map((j) => targets.rows[t * 6 + j] as number) as [number, number, number, number];
      const gtBox = [(cx - w / 2) * input.imageWidth, (cy - h / 2) * input.imageHeight, (cx + w / 2) * input.imageWidth, (cy + h / 2) * input.imageHeight];
      const gtClass = Math.trunc(targets.rows[t * 6 + 1] as number);
      pool.forEach((candidate, c) => {
        const value = iouXyxy(gtBox, candidate.box);
        iou[g * n + c] = value;
        cost[g * n + c] = candidate.cost(gtClass) + 3 * iouCost(value);
      });
    });
    const assigned = dynamicKMatching(cost, iou, gts.length, n);
    for (let l = 0; l < candidates.length; l++) {
      pool.forEach((candidate, c) => {
        const g = assigned[c] as number;
        if (g < 0 || candidate.level !== l) return;
        const level = candidates[l] as LevelTargets;
        const grid = grids[l] as LevelGrid;
        const t = gts[g] as number;
        const k = candidate.index;
        const o = out[l]!;
        o.image.push(image);
        o.anchor.push(level.anchor[k]!);
        o.gridY.push(level.gridY[k]!);
        o.gridX.push(level.gridX[k]!);
        o.cls.push(Math.trunc(targets.rows[t * 6 + 1] as number));
        // selected_tbox: the gt in grid units, its centre relative to the candidate's cell.
        o.box.push(
          Math.fround((targets.rows[t * 6 + 2] as number) * grid.width - level.gridX[k]!),
          Math.fround((targets.rows[t * 6 + 3] as number) * grid.height - level.gridY[k]!),
          Math.fround((targets.rows[t * 6 + 4] as number) * grid.width),
          Math.fround((targets.rows[t * 6 + 5] as number) * grid.height),
        );
        o.anchorSize.push(level.anchorSize[2 * k]!, level.anchorSize[2 * k + 1]!);
        o.targetIndex.push(t);
      });
    }
  }
  return out.map((o) => ({
    count: o.image.length,
    image: Int32Array.from(o.image),
    anchor: Int32Array.from(o.anchor),
    gridY: Int32Array.from(o.gridY),
    gridX: Int32Array.from(o.gridX),
    cls: Int32Array.from(o.cls),
    box: Float32Array.from(o.box),
    anchorSize: Float32Array.from(o.anchorSize),
    targetIndex: Int32Array.from(o.targetIndex),
  }));
}
