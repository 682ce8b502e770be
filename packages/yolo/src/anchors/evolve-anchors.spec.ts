import { SeededRng } from '@yolo-distill/core';
import { compareFitness, fitnessOf } from './anchor-fitness.js';
import { boxSizes } from './box-sizes.js';
import { evolveAnchors } from './evolve-anchors.js';
import type { BoxWh } from './wh-metrics.js';

const rng = new SeededRng(5);
const boxes = boxSizes(Array.from({ length: 300 }, () => [rng.uniform(4, 120), rng.uniform(4, 120)] as BoxWh));
const start: BoxWh[] = [
  [3, 3],
  [4, 5],
  [300, 300],
];

describe('evolveAnchors', () => {
  it('only keeps fitter mutants, so the result is at least as fit as the start', () => {
    const result = evolveAnchors(boxes, start, new SeededRng(1), { generations: 200 });
    const before = fitnessOf(boxes, start);
    expect(result.improvements).toBeGreaterThan(0);
    expect(compareFitness(result.fitness, before)).toBeGreaterThan(0);
    expect(result.fitness).toEqual(fitnessOf(boxes, result.anchors));
    expect(result.anchors.every(([w, h]) => w >= 2 && h >= 2)).toBe(true);
  });

  it('is deterministic for a seed and returns the start sorted for 0 generations', () => {
    const a = evolveAnchors(boxes, start, new SeededRng(9), { generations: 50 });
    const b = evolveAnchors(boxes, start, new SeededRng(9), { generations: 50 });
    expect(a).toEqual(b);
    expect(evolveAnchors(boxes, [start[2] as BoxWh, start[0] as BoxWh], new SeededRng(9), { generations: 0 }).anchors).toEqual([start[0], start[2]]);
  });
});
