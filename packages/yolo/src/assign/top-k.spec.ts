import { topKIndices } from './top-k.js';

describe('topKIndices', () => {
  it('returns the k largest, largest first, relative to the offset', () => {
    const values = [100, 100, 0.1, 0.7, 0.3, 0.9, 0.2];
    expect(Array.from(topKIndices(values, 2, 5, 3))).toEqual([3, 1, 2]);
  });

  it('keeps the lower index first among equal values', () => {
    expect(Array.from(topKIndices([0, 1, 0, 1, 0], 0, 5, 4))).toEqual([1, 3, 0, 2]);
  });

  it('returns every index when k exceeds the length', () => {
    expect(Array.from(topKIndices([2, 3, 1], 0, 3, 10))).toEqual([1, 0, 2]);
  });
});
