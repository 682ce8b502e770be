import { SeededRng } from '@yolo-distill/core';
import { compareFitness, fitnessOf, type AnchorFitness, type AnchorFitnessOptions } from './anchor-fitness.js';
import { boxSizes } from './box-sizes.js';
import { evolveAnchors } from './evolve-anchors.js';
import { kmeansOf } from './kmeans-anchors.js';
import type { BoxWh } from './wh-metrics.js';

/** Anchors of a head, per level, per anchor: `[w, h]` in input pixels (as `AnchorHeadSpec.anchors`). */
export type LevelAnchors = readonly (readonly BoxWh[])[];

export interface RefitAnchorsOptions extends AnchorFitnessOptions {
  /** Strides of the levels, in the order of the anchors; the smallest anchors go to the smallest stride. Default: levels are finest first. */
  readonly strides?: readonly number[];
  /** Seeds k-means++ and the evolution (default 0). */
  readonly seed?: number;
  /** Most k-means rounds (default 100). */
  readonly iterations?: number;
  /** Evolution generations after k-means (default 1000, as Ultralytics; 0 for k-means alone). */
  readonly generations?: number;
  /** Boxes with both sides below this are left out of the clustering (default 2 px, as Ultralytics). */
  readonly minSize?: number;
}

export interface RefitAnchorsResult {
  /** What the head should use: the new anchors if `replaced`, else the old ones. */
  readonly anchors: LevelAnchors;
  readonly replaced: boolean;
  /** The fitted anchors per level, used or not. */
  readonly candidate: LevelAnchors;
  /** Fitness of the old anchors and of the candidate, on all valid boxes. */
  readonly before: AnchorFitness;
  readonly after: AnchorFitness;
  /** One line saying what was decided and why. */
  readonly summary: string;
}

/**
 * Refits a head's anchors to label box sizes: k-means (1 - IoU) for as many anchors as the head has,
 * then Ultralytics-style evolution, then sorted by area and dealt out to the levels finest stride
 * first, keeping each level's anchor count. Like Ultralytics' `check_anchors`, the old anchors stay
 * when the new ones are not better (best possible recall, then mean best IoU).
 */
export function refitAnchors(boxesWh: readonly BoxWh[], old: LevelAnchors, options: RefitAnchorsOptions = {}): RefitAnchorsResult {
  if (old.length === 0 || old.some((level) => level.length === 0)) throw new Error(`refitAnchors: every level needs at least one anchor, found counts [${old.map((l) => l.length).join(', ')}]`);
  const strides = options.strides ?? old.map((_, i) => i);
  if (strides.length !== old.length) throw new Error(`refitAnchors: ${strides.length} stride(s) for ${old.length} anchor level(s)`);
  const minSize = options.minSize ?? 2;
  const generations = options.generations ?? 1000;
  const rng = new SeededRng(options.seed ?? 0);
  const total = old.reduce((sum, level) => sum + level.length, 0);

  const clustered = boxSizes(boxesWh, minSize);
  const fitted = kmeansOf(clustered, total, minSize, rng.fork('kmeans'), options.iterations ?? 100);
  const evolved = generations > 0 ? evolveAnchors(clustered, fitted.anchors, rng.fork('evolve'), { ...options, generations, minSize }).anchors : fitted.anchors;

  const candidate = dealOut(evolved, old, strides);
  const all = boxSizes(boxesWh);
  const before = fitnessOf(all, old.flat(), options);
  const after = fitnessOf(all, candidate.flat(), options);
  const replaced = compareFitness(after, before) > 0;
  const numbers = `bpr ${before.bpr.toFixed(4)} -> ${after.bpr.toFixed(4)}, mean best IoU ${before.meanBestIoU.toFixed(4)} -> ${after.meanBestIoU.toFixed(4)} on ${all.w.length} boxes`;
  const summary = replaced ? `new anchors fit better (${numbers})` : `kept the old anchors: the refitted ones are not better (${numbers})`;
  return { anchors: replaced ? candidate : old, replaced, candidate, before, after, summary };
}

/** Sorted anchors to levels: the smallest to the finest stride, each level keeping its count. */
function dealOut(sorted: readonly BoxWh[], old: LevelAnchors, strides: readonly number[]): LevelAnchors {
  const order = old.map((_, i) => i).sort((a, b) => (strides[a] as number) - (strides[b] as number) || a - b);
  const levels: BoxWh[][] = old.map(() => []);
  let next = 0;
  for (const level of order) {
    const count = (old[level] as readonly BoxWh[]).length;
    levels[level] = sorted.slice(next, next + count);
    next += count;
  }
  return levels;
}
