import { centredIoU, whRatio } from './wh-metrics.js';

describe('centredIoU', () => {
  it('is the overlap of the two sizes on one centre over their union', () => {
    // [10,10] in [10,20]: overlap 10*10 = 100, union 100 + 200 - 100 = 200.
    expect(centredIoU(10, 10, 10, 20)).toBe(0.5);
    // [100,5] and [10,20]: overlap 10*5 = 50, union 500 + 200 - 50 = 650.
    expect(centredIoU(100, 5, 10, 20)).toBeCloseTo(50 / 650, 12);
    expect(centredIoU(7, 3, 7, 3)).toBe(1);
    expect(centredIoU(100, 5, 10, 20)).toBe(centredIoU(10, 20, 100, 5));
  });
});

describe('whRatio', () => {
  it("is Ultralytics' worse-side min(r, 1/r)", () => {
    // r = [100/10, 5/20] = [10, 0.25]: min(10, 0.1, 0.25, 4) = 0.1.
    expect(whRatio(100, 5, 10, 20)).toBeCloseTo(0.1, 12);
    expect(whRatio(20, 40, 20, 20)).toBe(0.5);
    expect(whRatio(8, 8, 8, 8)).toBe(1);
  });
});
