import type { Rng } from '@yolo-distill/core';
import { compareFitness, fitnessOf, type AnchorFitness, type AnchorFitnessOptions } from './anchor-fitness.js';
import type { BoxSizes } from './box-sizes.js';
import { sortByArea } from './kmeans-anchors.js';
import type { BoxWh } from './wh-metrics.js';

export interface EvolveAnchorsOptions extends AnchorFitnessOptions {
  /** Mutation rounds (Ultralytics: 1000). */
  readonly generations: number;
  /** Anchors never shrink below this many pixels (Ultralytics: 2). */
  readonly minSize?: number;
}

export interface EvolveAnchorsResult {
  readonly anchors: BoxWh[];
  readonly fitness: AnchorFitness;
  /** Generations whose mutation was kept. */
  readonly improvements: number;
}

/**
 * Ultralytics' anchor evolution (`kmean_anchors`, after k-means): each generation multiplies every
 * anchor side, with probability 0.9, by `1 + r * N(0, 1) * 0.1` (r uniform per generation, factor
 * clipped to 0.3..3, anchors at least `minSize` px) and keeps the mutant if it is fitter. Fitness here
 * is {@link compareFitness} (wh-ratio BPR, then mean best IoU), not Ultralytics' thresholded ratio.
 */
export function evolveAnchors(sizes: BoxSizes, start: readonly BoxWh[], rng: Rng, options: EvolveAnchorsOptions): EvolveAnchorsResult {
  const { generations } = options;
  if (!Number.isInteger(generations) || generations < 0) throw new RangeError(`evolveAnchors: generations must be an integer >= 0, got ${generations}`);
  const minSize = options.minSize ?? 2;
  const mutationProbability = 0.9;
  const sigma = 0.1;
  let anchors = sortByArea(start);
  let fitness = fitnessOf(sizes, anchors, options);
  let improvements = 0;
  for (let g = 0; g < generations; g++) {
    let factors: number[];
    do {
      const r = rng.next();
      factors = anchors.flatMap(() => [0, 1]).map(() => {
        const mutate = rng.next() < mutationProbability;
        const factor = mutate ? 1 + r * rng.normal() * sigma : 1;
        return Math.min(3, Math.max(0.3, factor));
      });
    } while (factors.every((f) => f === 1));
    const mutant = anchors.map(([w, h], k) => [Math.max(minSize, w * (factors[2 * k] as number)), Math.max(minSize, h * (factors[2 * k + 1] as number))] as const);
    const mutantFitness = fitnessOf(sizes, mutant, options);
    if (compareFitness(mutantFitness, fitness) > 0) {
      anchors = sortByArea(mutant);
      fitness = mutantFitness;
      improvements++;
    }
  }
  return { anchors, fitness, improvements };
}
