import { sampledGrid } from './curve-sampling.js';

describe('sampledGrid', () => {
  it('takes every tenth point and the last one', () => {
    const grid = sampledGrid(1000);
    expect(grid).toHaveLength(101);
    expect(grid.slice(0, 3)).toEqual([0, 10, 20]);
    expect(grid.slice(-2)).toEqual([990, 999]);
    expect(sampledGrid(21)).toEqual([0, 10, 20]);
    expect(sampledGrid(25)).toEqual([0, 10, 20, 24]);
    expect(sampledGrid(0)).toEqual([]);
  });
});
