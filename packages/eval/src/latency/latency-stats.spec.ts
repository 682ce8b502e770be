import { latencyStats, percentileOfSorted } from './latency-stats.js';

describe('percentileOfSorted (numpy linear)', () => {
  it('interpolates between order statistics', () => {
    expect(percentileOfSorted([10, 11, 12, 13, 30], 0.5)).toBe(12);
    // h = 4 * .9 = 3.6 -> 13 + .6 * (30 - 13)
    expect(percentileOfSorted([10, 11, 12, 13, 30], 0.9)).toBeCloseTo(23.2, 12);
    expect(percentileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileOfSorted([7], 0.9)).toBe(7);
    expect(() => percentileOfSorted([], 0.5)).toThrow('percentile of no values');
  });
});

describe('latencyStats', () => {
  it('gives median, p90, mean, std, min, max and FPS = 1000 / median * batch', () => {
    const stats = latencyStats([12, 30, 10, 13, 11], { batch: 2, warmup: 3 });
    expect(stats).toEqual({
      runs: 5,
      warmup: 3,
      batch: 2,
      medianMs: 12,
      p90Ms: expect.closeTo(23.2, 12),
      meanMs: 15.2,
      // deviations -3.2 14.8 -5.2 -2.2 -4.2: squares sum 10.24 + 219.04 + 27.04 + 4.84 + 17.64 = 278.8
      stdMs: expect.closeTo(Math.sqrt(278.8 / 5), 12),
      minMs: 10,
      maxMs: 30,
      fps: expect.closeTo((1000 / 12) * 2, 12),
      samplesMs: [12, 30, 10, 13, 11],
    });
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('has no FPS when the median is 0', () => {
    expect(latencyStats([0, 0, 1]).fps).toBeNull();
  });

  it('rejects no runs, bad times and bad batches', () => {
    expect(() => latencyStats([])).toThrow('at least one timed run');
    expect(() => latencyStats([1, Number.NaN])).toThrow('finite number >= 0, got NaN');
    expect(() => latencyStats([1], { batch: 0 })).toThrow('batch must be a positive integer, got 0');
  });
});
