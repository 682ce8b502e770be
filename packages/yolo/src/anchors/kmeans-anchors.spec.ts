import { SeededRng } from '@yolo-distill/core';
import { kmeansAnchors } from './kmeans-anchors.js';
import type { BoxWh } from './wh-metrics.js';

// Three obvious clusters; each centre is the median of its three boxes.
const clusters: BoxWh[] = [
  [200, 50],
  [10, 10],
  [60, 100],
  [12, 10],
  [220, 50],
  [50, 100],
  [10, 12],
  [200, 60],
  [50, 120],
];

function randomBoxes(count: number, seed: number): BoxWh[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: count }, () => [rng.uniform(4, 300), rng.uniform(4, 300)] as const);
}

describe('kmeansAnchors', () => {
  it('finds the median of each obvious cluster, sorted by area', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const result = kmeansAnchors(clusters, 3, { seed });
      expect(result.anchors).toEqual([
        [10, 10],
        [50, 100],
        [200, 50],
      ]);
      // Per cluster the centre itself (IoU 1) and two boxes: [12,10] vs [10,10] is 100/120, [220,50]
      // vs [200,50] is 10000/11000; five boxes at 5/6 and one at 10/11.
      expect(result.meanIoU).toBeCloseTo((3 + 5 * (5 / 6) + 10 / 11) / 9, 12);
      expect(result.converged).toBe(true);
      expect(result).toMatchObject({ boxes: 9, invalid: 0, tiny: 0 });
    }
  });

  it('moves a centre to the median, not the mean, of its boxes', () => {
    // n = 1: median w of 10, 20, 30 is 20, median h of 10, 20, 60 is 20 (the mean would be [20, 30]).
    const odd = kmeansAnchors(
      [
        [10, 10],
        [20, 20],
        [30, 60],
      ],
      1,
    );
    expect(odd.anchors).toEqual([[20, 20]]);
    // IoU with [20,20]: 100/400, 1, 400/1800.
    expect(odd.meanIoU).toBeCloseTo((0.25 + 1 + 400 / 1800) / 3, 12);
    // An even count takes the mean of the two middle values.
    expect(
      kmeansAnchors(
        [
          [10, 10],
          [20, 30],
        ],
        1,
      ).anchors,
    ).toEqual([[15, 20]]);
  });

  it('is deterministic for a seed', () => {
    const boxes = randomBoxes(400, 7);
    const a = kmeansAnchors(boxes, 9, { seed: 3 });
    const b = kmeansAnchors(boxes, 9, { seed: 3 });
    expect(a).toEqual(b);
    expect(a.anchors).toHaveLength(9);
    const areas = a.anchors.map(([w, h]) => w * h);
    expect(areas).toEqual([...areas].sort((x, y) => x - y));
  });

  it('stops at the iteration limit and says it did not converge', () => {
    const result = kmeansAnchors(randomBoxes(400, 7), 9, { seed: 3, iterations: 1 });
    expect(result).toMatchObject({ iterations: 1, converged: false });
  });

  it('drops invalid and tiny boxes with a count', () => {
    const result = kmeansAnchors([...clusters, [0, 10], [-3, 4], [1, 1.5]], 3);
    expect(result).toMatchObject({ boxes: 9, invalid: 2, tiny: 1 });
    expect(result.anchors[0]).toEqual([10, 10]);
  });

  it('names the counts when there are too few distinct boxes, and refuses empty input', () => {
    expect(() =>
      kmeansAnchors(
        [
          [10, 10],
          [10, 10],
          [20, 20],
          [0, 4],
        ],
        3,
      ),
    ).toThrow('kmeansAnchors: 3 anchors need at least 3 distinct box sizes, found 2 among 3 boxes (dropped 1 with a zero, negative or non-finite side)');
    expect(() => kmeansAnchors([], 3)).toThrow('kmeansAnchors: no boxes given');
    expect(() => kmeansAnchors([[1, 1]], 1)).toThrow('kmeansAnchors: none of the 1 boxes is usable (dropped 1 smaller than 2 px)');
    expect(() => kmeansAnchors(clusters, 0)).toThrow('the anchor count must be a positive integer, got 0');
  });
});
