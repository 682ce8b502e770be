import { argmax, interp, linspace, smooth, trapezoid } from './numeric.js';

describe('linspace', () => {
  it('steps from start to exactly stop', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0, 1, 1000)[999]).toBe(1);
    expect(linspace(0, 1, 1000)[599]).toBe(599 * (1 / 999));
    expect(linspace(2, 3, 1)).toEqual([2]);
  });
});

describe('interp (np.interp)', () => {
  it('interpolates linearly inside and uses left/right outside', () => {
    expect(interp([-1, 0, 0.5, 1, 2], [0, 1], [10, 20])).toEqual([10, 10, 15, 20, 20]);
    expect(interp([-1, 2], [0, 1], [10, 20], { left: 0, right: 99 })).toEqual([0, 99]);
  });

  it('takes the last of repeated xp values, and fp[last] at xp[last]', () => {
    // xp = [0, .5, .5, 1, 1]: numpy reads 2/3 at .5 (the second .5) and 0 at 1 (the last 1).
    const xp = [0, 0.5, 0.5, 1, 1];
    const fp = [1, 1, 2 / 3, 2 / 3, 0];
    expect(interp([0.25, 0.5, 0.75, 1], xp, fp)).toEqual([1, 2 / 3, 2 / 3, 0]);
  });
});

describe('trapezoid', () => {
  it('integrates piecewise-linear y', () => {
    expect(trapezoid([0, 1, 1], [0, 1, 3])).toBe(0.5 + 2);
    expect(trapezoid([5], [0])).toBe(0);
  });
});

describe('argmax', () => {
  it('returns the first maximum', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});

describe('smooth (Ultralytics box filter)', () => {
  it('averages nf = round(2 n f) // 2 + 1 values with the ends padded', () => {
    // n = 10, f = 0.2: nf = round(4) // 2 + 1 = 3, one copy of the end value padded on each side.
    const y = [0, 3, 0, 0, 6, 0, 0, 0, 0, 9];
    // nf = 3, one pad each side: [0, 0,3,0,0,6,0,0,0,0,9, 9]
    expect(smooth(y, 0.2)).toEqual([1, 1, 1, 2, 2, 2, 0, 0, 3, 6].map((v) => expect.closeTo(v, 12)));
  });

  it('keeps y for f = 0 (nf = 1)', () => {
    expect(smooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });
});
