import { foldConv, foldConvHwio } from './fold-batch-norm.js';

describe('foldConv', () => {
  // One 1x2 kernel, 2 input and 2 output channels, HWIO: index ((y * kw + x) * cin + i) * cout + o.
  const kernel = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // [kh=1, kw=2, cin=2, cout=2]

  it('reorders HWIO to OIHW without a BatchNorm and keeps the bias', () => {
    const folded = foldConv(kernel, [1, 2, 2, 2], Float32Array.from([0.5, -1]), undefined);
    expect(folded.dims).toEqual([2, 2, 1, 2]);
    // OIHW [o][i][0][x]: o=0: i=0 -> (x0: 1, x1: 5), i=1 -> (3, 7); o=1: i=0 -> (2, 6), i=1 -> (4, 8).
    expect(Array.from(folded.weight)).toEqual([1, 5, 3, 7, 2, 6, 4, 8]);
    expect(Array.from(folded.bias)).toEqual([0.5, -1]);
  });

  it('folds BatchNorm: w * gamma / sqrt(var + eps) and (b - mean) * s + beta, by hand', () => {
    const bn = { gamma: Float32Array.from([2, 0.5]), beta: Float32Array.from([1, -1]), mean: Float32Array.from([3, -2]), variance: Float32Array.from([3, 0.25]), eps: 1 };
    // s = [2 / 2, 0.5 / sqrt(1.25)]
    const s1 = 0.5 / Math.sqrt(1.25);
    const folded = foldConv(kernel, [1, 2, 2, 2], undefined, bn);
    const expected = [1, 5, 3, 7, 2 * s1, 6 * s1, 4 * s1, 8 * s1];
    Array.from(folded.weight).forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 6));
    expect(folded.bias[0]).toBeCloseTo((0 - 3) * 1 + 1, 6);
    expect(folded.bias[1]).toBeCloseTo((0 + 2) * s1 - 1, 6);
  });

  it('folds the same way in the HWIO layout (TensorFlow), scaling each output channel in place', () => {
    const bn = { gamma: Float32Array.from([2, 0.5]), beta: Float32Array.from([1, -1]), mean: Float32Array.from([3, -2]), variance: Float32Array.from([3, 0.25]), eps: 1 };
    const s1 = 0.5 / Math.sqrt(1.25);
    const folded = foldConvHwio(kernel, [1, 2, 2, 2], Float32Array.from([0.5, -1]), bn);
    expect(folded.dims).toEqual([1, 2, 2, 2]);
    // HWIO index ((x * cin + i) * cout + o): o = 0 keeps its values (scale 1), o = 1 is scaled by s1.
    const expected = [1, 2 * s1, 3, 4 * s1, 5, 6 * s1, 7, 8 * s1];
    Array.from(folded.weight).forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 6));
    expect(folded.bias[0]).toBeCloseTo((0.5 - 3) * 1 + 1, 6);
    expect(folded.bias[1]).toBeCloseTo((-1 + 2) * s1 - 1, 6);
  });

  it('refuses vectors that do not match the output channels', () => {
    expect(() => foldConv(kernel, [1, 2, 2, 2], Float32Array.from([1, 2, 3]), undefined)).toThrow(/bias has 3 values, the conv has 2 output channels/);
  });
});
