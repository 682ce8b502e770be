import { anchorFitness, compareFitness, type AnchorFitness } from './anchor-fitness.js';
import type { BoxWh } from './wh-metrics.js';

// Worked by hand, per box against anchors [10,20] and [20,20]:
//   [10,10]  IoU 100/200 = 0.5, 100/400 = 0.25      ratio 0.5, 0.5
//   [20,40]  IoU 200/800 = 0.25, 400/800 = 0.5      ratio 0.5, 0.5
//   [100,5]  IoU 50/650 = 1/13, 100/800 = 0.125     ratio 0.1, 0.2
const boxes: BoxWh[] = [
  [10, 10],
  [20, 40],
  [100, 5],
];
const anchors: BoxWh[] = [
  [10, 20],
  [20, 20],
];

describe('anchorFitness', () => {
  it("gives Ultralytics' wh-ratio BPR and anchors per target, and the mean best IoU", () => {
    const fitness = anchorFitness(boxes, anchors);
    expect(fitness.boxes).toBe(3);
    expect(fitness.invalid).toBe(0);
    expect(fitness.bpr).toBeCloseTo(2 / 3, 12); // [100,5]: best ratio 0.2 < 1/4
    expect(fitness.anchorsAboveThreshold).toBeCloseTo(4 / 3, 12); // 2 + 2 + 0
    expect(fitness.meanBestIoU).toBeCloseTo((0.5 + 0.5 + 0.125) / 3, 12);
    expect(fitness.recallAtIoU).toBeCloseTo(2 / 3, 12); // 0.125 <= 0.25
  });

  it('takes anchor_t and the IoU threshold as options', () => {
    const fitness = anchorFitness(boxes, anchors, { thr: 6, iouThreshold: 0.1 });
    expect(fitness.bpr).toBe(1); // 0.2 > 1/6
    expect(fitness.anchorsAboveThreshold).toBeCloseTo(5 / 3, 12); // 2 + 2 + 1 (0.1 < 1/6)
    expect(fitness.recallAtIoU).toBe(1);
  });

  it('leaves out boxes with a zero, negative or non-finite side and counts them', () => {
    const fitness = anchorFitness([...boxes, [0, 5], [-1, 3], [Number.NaN, 2]], anchors);
    expect(fitness).toMatchObject({ boxes: 3, invalid: 3 });
    expect(fitness.meanBestIoU).toBeCloseTo(0.375, 12);
  });

  it('refuses no boxes, no anchors and a bad anchor', () => {
    expect(() => anchorFitness([], anchors)).toThrow('anchorFitness: no boxes to measure');
    expect(() => anchorFitness([[0, 1]], anchors)).toThrow('all 1 have a zero, negative or non-finite side');
    expect(() => anchorFitness(boxes, [])).toThrow('no anchors given');
    expect(() => anchorFitness(boxes, [[0, 3]])).toThrow('anchors must have positive sizes, found [0, 3]');
    expect(() => anchorFitness(boxes, anchors, { thr: 1 })).toThrow('thr (anchor_t) must be > 1');
  });
});

describe('compareFitness', () => {
  const of = (bpr: number, meanBestIoU: number) => ({ bpr, meanBestIoU }) as AnchorFitness;
  it('ranks by BPR, then by mean best IoU', () => {
    expect(compareFitness(of(0.99, 0.5), of(0.98, 0.9))).toBeGreaterThan(0);
    expect(compareFitness(of(1, 0.6), of(1, 0.7))).toBeLessThan(0);
    expect(compareFitness(of(1, 0.6), of(1, 0.6))).toBe(0);
  });
});
