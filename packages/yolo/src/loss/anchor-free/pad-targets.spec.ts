import { padTargets } from './pad-targets.js';

describe('padTargets', () => {
  it('groups rows per image in their order, pads to the largest count and scales to pixels xyxy', () => {
    const rows = new Float32Array([
      1, 2, 0.5, 0.5, 0.5, 0.25, // image 1
      0, 0, 0.25, 0.5, 0.5, 1, // image 0
      1, 1, 0.75, 0.25, 0.25, 0.5, // image 1 again: rows need not be sorted
    ]);
    const padded = padTargets(rows, 3, 3, 3, { height: 32, width: 64 });
    expect(padded.maxBoxes).toBe(2);
    expect(Array.from(padded.gtLabels)).toEqual([0, 0, 2, 1, 0, 0]);
    expect(Array.from(padded.gtMask)).toEqual([1, 0, 1, 1, 0, 0]);
    expect(Array.from(padded.gtBoxes)).toEqual([
      0, 0, 32, 32, 0, 0, 0, 0, // image 0: (0.25 +- 0.25) * 64, (0.5 +- 0.5) * 32
      16, 12, 48, 20, 40, 0, 56, 16, // image 1
      0, 0, 0, 0, 0, 0, 0, 0, // image 2 has no labels
    ]);
  });

  it('gives no boxes for no targets', () => {
    const padded = padTargets(new Float32Array(0), 0, 2, 1, { height: 8, width: 8 });
    expect(padded.maxBoxes).toBe(0);
    expect(padded.gtBoxes.length).toBe(0);
  });

  it('names the row with a bad image index or class', () => {
    expect(() => padTargets(new Float32Array([0, 0, 0.5, 0.5, 1, 1, 2, 0, 0.5, 0.5, 1, 1]), 2, 2, 1, { height: 8, width: 8 })).toThrow(
      /targets row 1: image index 2 is outside the batch 0\.\.1/,
    );
    expect(() => padTargets(new Float32Array([0, 1.5, 0.5, 0.5, 1, 1]), 1, 1, 4, { height: 8, width: 8 })).toThrow(/row 0: class 1.5 is not an integer in 0\.\.3/);
    expect(() => padTargets(new Float32Array(5), 1, 1, 1, { height: 8, width: 8 })).toThrow(/1 rows need 6 values, got 5/);
  });
});
