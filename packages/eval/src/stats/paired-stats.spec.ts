import { meanCi, pairedGains } from './paired-stats.js';

describe('meanCi', () => {
  it('gives the mean and the half-width of the 95% t interval (hand-computed)', () => {
    // values 1, 2, 6: mean 3, sample sd sqrt(((4 + 1 + 9) / 2)) = sqrt(7); t(2 df) 4.303
    const ci = meanCi([1, 2, 6]);
    expect(ci.mean).toBe(3);
    expect(ci.n).toBe(3);
    expect(ci.ci95).toBeCloseTo((4.303 * Math.sqrt(7)) / Math.sqrt(3), 12);
  });

  it('has no interval for one value', () => {
    expect(meanCi([0.5])).toEqual({ mean: 0.5, ci95: Number.NaN, n: 1 });
  });
});

describe('pairedGains', () => {
  it('pairs by seed and leaves out seeds the baseline lacks', () => {
    const variant = new Map([[1, 0.5], [2, 0.7], [4, 0.9]]);
    const baseline = new Map([[1, 0.25], [2, 0.5], [3, 0.1]]);
    expect(pairedGains(variant, baseline)).toEqual([0.25, 0.19999999999999996]);
  });
});
