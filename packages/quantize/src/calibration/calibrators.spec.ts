import { entropyAmax, percentileAmax, percentileRange } from './calibrators.js';
import { Histogram } from './histogram.js';
import { TensorStatistics } from './tensor-ranges.js';

function histogram(low: number, high: number, counts: readonly number[]): Histogram {
  const h = new Histogram(low, high, counts.length);
  h.counts.set(counts);
  return h;
}

/**
 * A second, plain entropy calibration written from TensorRT's description (GTC 2017, "8-bit
 * Inference with TensorRT"): for every cut i, P = bins[0..i) with the outliers added to its last bin;
 * Q = bins[0..i) merged into 128 equal groups and expanded back over each group's non-empty bins;
 * normalise both; KL(P || Q); the least KL's edge (the last such on ties). Arrays are built whole here.
 */
function plainEntropyAmax(counts: readonly number[], width: number): number {
  let best = Infinity;
  let bestEdge = counts.length * width;
  for (let i = 128; i < counts.length; i++) {
    const p = counts.slice(0, i);
    p[i - 1] = (p[i - 1] as number) + counts.slice(i).reduce((a, b) => a + b, 0);
    const group = (k: number) => Math.floor((k * 128) / i);
    const q = counts.slice(0, i).map((c, k) => {
      if (c === 0) return 0;
      const members = counts.slice(0, i).map((v, j) => [v, j] as const).filter(([v, j]) => group(j) === group(k) && v > 0);
      return members.reduce((sum, [v]) => sum + v, 0) / members.length;
    });
    const ps = p.reduce((a, b) => a + b, 0);
    const qs = q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let k = 0; k < i; k++) {
      const pk = (p[k] as number) / ps;
      const qk = (q[k] as number) / qs;
      if (pk > 0) kl += qk === 0 ? Infinity : pk * Math.log(pk / qk);
    }
    if (kl <= best) {
      best = kl;
      bestEdge = i * width;
    }
  }
  return bestEdge;
}

describe('calibrators on hand-made histograms', () => {
  it('percentile: the upper edge of the first bin where the cumulative share reaches p', () => {
    // 10 bins of width 1 over [0, 10): 9990 values in bin 0..4, 9 in bin 7, 1 in bin 9 (10000 in all).
    const h = histogram(0, 10, [1998, 1998, 1998, 1998, 1998, 0, 0, 9, 0, 1]);
    expect(percentileAmax(h, 99.9)).toBe(5); // 9990 / 10000 = 99.9% reached in bin 4.
    expect(percentileAmax(h, 99.95)).toBe(8); // 9999 reached in bin 7.
    expect(percentileAmax(h, 100)).toBe(10);
  });

  it('asymmetric percentile cuts half of the rest from each tail', () => {
    // [-2, 8) in 10 bins of 1: 1 value at -2, 9998 in [0, 5), 1 value at 7.9.
    const h = histogram(-2, 8, [1, 0, 2000, 2000, 2000, 1999, 1999, 0, 0, 1]);
    // 99.98%: 0.01% per tail = 1 value: the first bin holding it is bin 0 (lower edge -2); the upper share
    // 0.9999 is reached in bin 6 (edge 5).
    expect(percentileRange(h, 99.98)).toEqual({ min: -2, max: 5 });
    // 99.9%: 0.05% per tail = 5 values: the lower share is reached in bin 2 (edge 0); the upper share
    // (9995 values) in bin 6 (edge 5).
    expect(percentileRange(h, 99.9)).toEqual({ min: 0, max: 5 });
  });

  it('entropy: an outlier far out makes every cut but the first infinitely divergent', () => {
    // 2048 bins of width 0.01: 1000 values in each of bins 0..127, one value in bin 2047. For a cut i > 128 the
    // outlier lands in bin i-1, which holds no value of its own, so Q is 0 where P is not; the cut at 128 wins.
    const counts = new Array<number>(2048).fill(0);
    for (let k = 0; k < 128; k++) counts[k] = 1000;
    counts[2047] = 1;
    expect(entropyAmax(histogram(0, 20.48, counts))).toBeCloseTo(1.28, 12);
  });

  it('entropy: a histogram that a 128-level grid represents exactly at every cut keeps the widest cut', () => {
    // Equal counts in bins 0..127 only: every group of Q averages equal bins, so Q = P (KL 0) at every
    // cut, and ties go to the last cut (2047 * width).
    const counts = new Array<number>(2048).fill(0);
    for (let k = 0; k < 128; k++) counts[k] = 1000;
    expect(entropyAmax(histogram(0, 2.048, counts))).toBeCloseTo(2.047, 12);
  });

  it('entropy agrees with the plain implementation on skewed histograms', () => {
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const bins of [256, 400]) {
      // A half-normal-like bulk with a sparse long tail (what post-SiLU magnitudes look like).
      const counts = Array.from({ length: bins }, (_, k) => {
        const bulk = Math.round(5000 * Math.exp(-((k / (bins / 8)) ** 2)));
        return bulk + (random() < 0.1 ? Math.floor(random() * 3) : 0);
      });
      const width = 10 / bins;
      expect(entropyAmax(histogram(0, 10, counts))).toBeCloseTo(plainEntropyAmax(counts, width), 10);
    }
  });

  it('a tensor\'s ranges: minmax as seen, entropy clipped to the values\' own lower end', () => {
    const values = Float32Array.from({ length: 20000 }, (_, i) => (i === 0 ? 2 : -0.2 + ((i * 7919) % 1000) / 1000));
    const minmax = new TensorStatistics({ method: 'minmax', percentile: 99.99, symmetric: false, bins: 2048 });
    minmax.observe(values);
    expect(minmax.range()).toEqual({ min: Math.fround(-0.2), max: 2 });
    const entropy = new TensorStatistics({ method: 'entropy', percentile: 99.99, symmetric: false, bins: 2048 });
    entropy.observe(values);
    entropy.histogram(values);
    const r = entropy.range();
    expect(r.min).toBe(Math.fround(-0.2));
    // The lone 2 is cut: folded into any cut beyond the bulk's end (0.8, bin 819) it sits in an empty bin,
    // where Q is 0 and P is not, so the threshold stays within the bulk.
    expect(r.max).toBeGreaterThan(0.4);
    expect(r.max).toBeLessThanOrEqual(0.8 + 2 / 2048);
    const symmetric = new TensorStatistics({ method: 'percentile', percentile: 99.99, symmetric: true, bins: 2048 });
    symmetric.observe(values);
    symmetric.histogram(values);
    expect(symmetric.range().min).toBe(-symmetric.range().max);
  });
});
