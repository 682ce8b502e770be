import { makeDivisible, pythonRound, scaleChannels, scaleRepeats } from './module-entry.js';

describe('Ultralytics scaling rules', () => {
  it('make_divisible rounds up to a multiple of the divisor', () => {
    expect(makeDivisible(16, 8)).toBe(16);
    expect(makeDivisible(17, 8)).toBe(24);
    expect(makeDivisible(0.25 * 1024, 8)).toBe(256);
    expect(makeDivisible(0.75 * 64, 8)).toBe(48);
    expect(makeDivisible(1.25 * 1024 * 0.5, 8)).toBe(640);
  });

  it('scales channels by width after capping at max_channels', () => {
    expect(scaleChannels(1024, { depth: 1, width: 0.25, maxChannels: Infinity, divisor: 8 })).toBe(256);
    expect(scaleChannels(1024, { depth: 0.67, width: 0.75, maxChannels: 768, divisor: 8 })).toBe(576);
    expect(scaleChannels(1024, { depth: 1, width: 1.25, maxChannels: 512, divisor: 8 })).toBe(640);
    expect(scaleChannels(64, { depth: 1, width: 0.33, maxChannels: Infinity, divisor: 8 })).toBe(24);
  });

  it("rounds like Python's round (half to even)", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.49, 2.51, -1.5].map(pythonRound)).toEqual([0, 2, 2, 4, 2, 3, -2]);
  });

  it('scales repeats above 1 only, never below 1', () => {
    const scaling = { depth: 0.33, width: 1, maxChannels: Infinity, divisor: 8 };
    expect([1, 3, 6, 9].map((n) => scaleRepeats(n, scaling))).toEqual([1, 1, 2, 3]);
    expect([3, 6, 9].map((n) => scaleRepeats(n, { ...scaling, depth: 0.67 }))).toEqual([2, 4, 6]);
    expect([3, 6, 9].map((n) => scaleRepeats(n, { ...scaling, depth: 1.33 }))).toEqual([4, 8, 12]);
    expect(scaleRepeats(2, { ...scaling, depth: 0.1 })).toBe(1);
  });
});
