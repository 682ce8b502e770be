import { SeededRng, type Rng } from '@yolo-distill/core';
import { boxSizes, describeDropped, type BoxSizes } from './box-sizes.js';
import { centredIoU, type BoxWh } from './wh-metrics.js';

export interface KmeansAnchorsOptions {
  /** Seeds the k-means++ initialisation (default 0). */
  readonly seed?: number;
  /** Most assign/update rounds (default 100); stops earlier once no box changes cluster. */
  readonly iterations?: number;
  /** Boxes with both sides below this many pixels are left out (default 2, as Ultralytics' `kmean_anchors`). */
  readonly minSize?: number;
}

export interface KmeansAnchorsResult {
  /** `n` anchors `[w, h]` in pixels, ascending by area (then width). */
  readonly anchors: BoxWh[];
  /** Mean over the boxes of the IoU with their nearest anchor (the quantity k-means raises). */
  readonly meanIoU: number;
  /** Rounds run, and whether the assignment stopped changing before the limit. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Boxes clustered, and those dropped (see {@link BoxSizes}). */
  readonly boxes: number;
  readonly invalid: number;
  readonly tiny: number;
}

/**
 * k-means anchors with distance `1 - IoU` of centred boxes (YOLOv2): k-means++ initialisation drawn
 * from a {@link SeededRng} (first centre uniform, then each box with probability proportional to its
 * squared distance to the nearest centre), then rounds of assigning every box to its highest-IoU
 * centre and moving each centre to the **median** width and median height of its boxes (robust to
 * outliers; the common choice for IoU k-means). A cluster left empty takes the box farthest from its
 * centre. Deterministic for a seed; the anchors are returned ascending by area.
 */
export function kmeansAnchors(boxesWh: readonly BoxWh[], n: number, options: KmeansAnchorsOptions = {}): KmeansAnchorsResult {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`kmeansAnchors: the anchor count must be a positive integer, got ${n}`);
  const minSize = options.minSize ?? 2;
  const sizes = boxSizes(boxesWh, minSize);
  return kmeansOf(sizes, n, minSize, new SeededRng(options.seed ?? 0), options.iterations ?? 100);
}

/** {@link kmeansAnchors} on cleaned boxes with a given random stream. */
export function kmeansOf(sizes: BoxSizes, n: number, minSize: number, rng: Rng, maxIterations: number): KmeansAnchorsResult {
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`kmeansAnchors: iterations must be a positive integer, got ${maxIterations}`);
  const count = sizes.w.length;
  if (count === 0) {
    throw new Error(sizes.given === 0 ? 'kmeansAnchors: no boxes given' : `kmeansAnchors: none of the ${sizes.given} boxes is usable${describeDropped(sizes, minSize)}`);
  }
  const distinct = distinctCount(sizes);
  if (distinct < n) {
    throw new Error(`kmeansAnchors: ${n} anchors need at least ${n} distinct box sizes, found ${distinct} among ${count} boxes${describeDropped(sizes, minSize)}`);
  }
  const cw = new Float64Array(n);
  const ch = new Float64Array(n);
  seedCentres(sizes, cw, ch, rng);

  const assignment = new Int32Array(count).fill(-1);
  const bestIoU = new Float64Array(count);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const changed = assign(sizes, cw, ch, assignment, bestIoU);
    if (!changed && iterations > 1) {
      converged = true;
      break;
    }
    update(sizes, cw, ch, assignment, bestIoU);
  }
  if (!converged) assign(sizes, cw, ch, assignment, bestIoU);
  const meanIoU = bestIoU.reduce((sum, v) => sum + v, 0) / count;
  const anchors = sortByArea(Array.from(cw, (w, k) => [w, ch[k] as number] as const));
  return { anchors, meanIoU, iterations, converged, boxes: count, invalid: sizes.invalid, tiny: sizes.tiny };
}

/** Anchors ascending by area, ties by width. */
export function sortByArea(anchors: readonly BoxWh[]): BoxWh[] {
  return [...anchors].sort((a, b) => a[0] * a[1] - b[0] * b[1] || a[0] - b[0]);
}

function distinctCount(sizes: BoxSizes): number {
  const seen = new Set<string>();
  for (let i = 0; i < sizes.w.length; i++) seen.add(`${sizes.w[i]}x${sizes.h[i]}`);
  return seen.size;
}

/** k-means++ with distance 1 - IoU: the first centre uniform, the next ones weighted by squared distance. */
function seedCentres(sizes: BoxSizes, cw: Float64Array, ch: Float64Array, rng: Rng): void {
  const count = sizes.w.length;
  const nearest = new Float64Array(count).fill(Infinity);
  let pick = rng.int(count);
  for (let k = 0; k < cw.length; k++) {
    cw[k] = sizes.w[pick] as number;
    ch[k] = sizes.h[pick] as number;
    if (k === cw.length - 1) break;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const d = 1 - centredIoU(sizes.w[i] as number, sizes.h[i] as number, cw[k] as number, ch[k] as number);
      if (d * d < (nearest[i] as number)) nearest[i] = d * d;
      total += nearest[i] as number;
    }
    // Enough distinct sizes were checked, so some box is still away from every centre (total > 0).
    let target = rng.next() * total;
    pick = -1;
    for (let i = 0; i < count; i++) {
      const weight = nearest[i] as number;
      if (weight <= 0) continue;
      pick = i;
      target -= weight;
      if (target < 0) break;
    }
  }
}

/** Each box to its highest-IoU centre (ties: the lower index); true if any box moved. */
function assign(sizes: BoxSizes, cw: Float64Array, ch: Float64Array, assignment: Int32Array, bestIoU: Float64Array): boolean {
  let changed = false;
  for (let i = 0; i < sizes.w.length; i++) {
    const bw = sizes.w[i] as number;
    const bh = sizes.h[i] as number;
    let best = 0;
    let bestK = 0;
    for (let k = 0; k < cw.length; k++) {
      const iou = centredIoU(bw, bh, cw[k] as number, ch[k] as number);
      if (iou > best) {
        best = iou;
        bestK = k;
      }
    }
    bestIoU[i] = best;
    if (assignment[i] !== bestK) {
      assignment[i] = bestK;
      changed = true;
    }
  }
  return changed;
}

/** Centres to the median width and height of their boxes; an empty cluster takes the worst-fitted box. */
function update(sizes: BoxSizes, cw: Float64Array, ch: Float64Array, assignment: Int32Array, bestIoU: Float64Array): void {
  const members: number[][] = Array.from({ length: cw.length }, () => []);
  assignment.forEach((k, i) => members[k]?.push(i));
  const taken = new Set<number>();
  members.forEach((list, k) => {
    if (list.length > 0) {
      cw[k] = median(list.map((i) => sizes.w[i] as number));
      ch[k] = median(list.map((i) => sizes.h[i] as number));
      return;
    }
    let worst = -1;
    for (let i = 0; i < sizes.w.length; i++) {
      if (!taken.has(i) && (worst < 0 || (bestIoU[i] as number) < (bestIoU[worst] as number))) worst = i;
    }
    taken.add(worst);
    cw[k] = sizes.w[worst] as number;
    ch[k] = sizes.h[worst] as number;
  });
}

/** numpy's median: the middle value, or the mean of the two middle ones. */
function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
