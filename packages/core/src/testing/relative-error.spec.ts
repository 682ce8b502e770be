import { relativeMaxError } from './relative-error.js';

describe('relativeMaxError', () => {
  it('is the largest absolute difference over the largest reference magnitude', () => {
    // diffs 0.1, 0.5, 0; max |ref| = 4 -> 0.125
    expect(relativeMaxError(Float32Array.of(1.1, -3.5, 2), [1, -4, 2])).toBeCloseTo(0.125, 6);
    expect(relativeMaxError([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('is the absolute error against an all-zero reference, NaN where a value is NaN', () => {
    expect(relativeMaxError([0, 0.25], [0, 0])).toBe(0.25);
    expect(relativeMaxError([Number.NaN, 1], [1, 1])).toBeNaN();
  });

  it('refuses tensors of different lengths', () => {
    expect(() => relativeMaxError([1, 2], [1, 2, 3])).toThrow('2 values against a reference of 3');
  });
});
