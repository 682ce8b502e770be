import { refitAnchors } from './refit-anchors.js';
import type { BoxWh } from './wh-metrics.js';

const clusters: BoxWh[] = [
  [10, 10],
  [12, 10],
  [10, 12],
  [50, 100],
  [60, 100],
  [50, 120],
  [200, 50],
  [220, 50],
  [200, 60],
  [400, 300],
  [420, 300],
  [400, 330],
];

describe('refitAnchors', () => {
  it('fits as many anchors as the head has and deals them out smallest to the finest stride', () => {
    const old = [
      [[100, 100]],
      [
        [30, 30],
        [31, 31],
      ],
      [[5, 5]],
    ] as const;
    // Levels in the order 32, 8, 16: the two smallest go to stride 8 (level 1).
    const result = refitAnchors(clusters, old, { strides: [32, 8, 16], generations: 0 });
    expect(result.candidate).toEqual([
      [[400, 300]],
      [
        [10, 10],
        [50, 100],
      ],
      [[200, 50]],
    ]);
    expect(result.replaced).toBe(true);
    expect(result.anchors).toBe(result.candidate);
    // IoU to the centres: four at 1, five at 5/6, [220,50] 10/11, [420,300] 20/21, [400,330] 10/11.
    expect(result.after.meanBestIoU).toBeCloseTo((4 + 5 * (5 / 6) + 2 * (10 / 11) + 20 / 21) / 12, 12);
    expect(result.after.bpr).toBe(1);
    expect(result.summary).toMatch(/^new anchors fit better \(bpr 0\.\d{4} -> 1\.0000, mean best IoU .* on 12 boxes\)$/);
  });

  it('keeps the old anchors when the new ones are not better, and says so', () => {
    const best = [
      [
        [10, 10],
        [50, 100],
      ],
      [
        [200, 50],
        [400, 300],
      ],
    ] as const;
    const same = refitAnchors(clusters, best, { generations: 0 });
    expect(same.replaced).toBe(false);
    expect(same.anchors).toBe(best);
    expect(same.after).toEqual(same.before);
    expect(same.summary).toMatch(/^kept the old anchors: the refitted ones are not better/);
  });

  it('ranks by best possible recall first: a higher-IoU fit that loses recall is not taken', () => {
    // One anchor: k-means picks the median [10,10] (mean best IoU (1 + 1 + 1 + 0.04) / 4 = 0.76) but
    // [50,50] is then 5x off (BPR 0.75); the old [20,20] reaches every box within 4x (BPR 1) at a
    // mean best IoU of (3 * 0.25 + 0.16) / 4 = 0.2275.
    const boxes: BoxWh[] = [
      [10, 10],
      [10, 10],
      [10, 10],
      [50, 50],
    ];
    const result = refitAnchors(boxes, [[[20, 20]]], { generations: 0 });
    expect(result.candidate).toEqual([[[10, 10]]]);
    expect(result.after.meanBestIoU).toBeCloseTo(0.76, 12);
    expect(result.before.meanBestIoU).toBeCloseTo(0.2275, 12);
    expect(result.after.bpr).toBe(0.75);
    expect(result.before.bpr).toBe(1);
    expect(result.replaced).toBe(false);
    expect(result.anchors).toEqual([[[20, 20]]]);
  });

  it('is deterministic for a seed with evolution on', () => {
    const old = [
      [
        [10, 13],
        [16, 30],
        [33, 23],
      ],
    ] as const;
    const a = refitAnchors(clusters, old, { seed: 4, generations: 100 });
    expect(refitAnchors(clusters, old, { seed: 4, generations: 100 })).toEqual(a);
    expect(a.replaced).toBe(true);
  });

  it('checks the levels and strides', () => {
    expect(() => refitAnchors(clusters, [[]])).toThrow('every level needs at least one anchor, found counts [0]');
    expect(() => refitAnchors(clusters, [[[1, 1]]], { strides: [8, 16] })).toThrow('2 stride(s) for 1 anchor level(s)');
  });
});
