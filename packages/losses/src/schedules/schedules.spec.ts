import type { StepInfo } from '@yolo-distill/core';
import { linearWarmup, progressiveTaps, stepDecay } from './schedules.js';

const at = (epoch: number): StepInfo => ({ epoch, epochs: 100, step: 0 });

describe('stepDecay', () => {
  it('goes 5 -> 1, minus 1 every 10 epochs, then stays at 1', () => {
    const tau = stepDecay({ start: 5, end: 1, every: 10, by: 1 });
    // floor(e / 10) steps: 0 -> 5, 9 -> 5, 10 -> 4, 25 -> 3, 39 -> 2, 40 -> 1, 90 -> max(1, -4) = 1
    expect([0, 9, 10, 25, 39, 40, 90].map((e) => tau(at(e)))).toEqual([5, 5, 4, 3, 2, 1, 1]);
  });

  it('also grows towards a larger end, without passing it', () => {
    const w = stepDecay({ start: 0, end: 1, every: 2, by: 0.5 });
    expect([0, 2, 4, 10].map((e) => w(at(e)))).toEqual([0, 0.5, 1, 1]);
  });

  it('rejects every <= 0', () => {
    expect(() => stepDecay({ start: 5, end: 1, every: 0, by: 1 })).toThrow(/every > 0/);
  });
});

describe('linearWarmup', () => {
  it('ramps (epoch + 1) / N up to the target', () => {
    const w = linearWarmup({ epochs: 4, to: 2 });
    // 2 * 1/4, 2 * 2/4, 2 * 3/4, 2 * 4/4, then 2
    expect([0, 1, 2, 3, 7].map((e) => w(at(e)))).toEqual([0.5, 1, 1.5, 2, 2]);
  });

  it('starts from `from`', () => {
    // 1 + (3 - 1) * 1/2 = 2
    expect(linearWarmup({ epochs: 2, from: 1, to: 3 })(at(0))).toBe(2);
  });
});

describe('progressiveTaps', () => {
  it('activates the deepest tap first, one more every K epochs', () => {
    const active = progressiveTaps({ taps: ['neck.0', 'neck.1', 'neck.2'], every: 5 });
    const row = (e: number): boolean[] => ['neck.0', 'neck.1', 'neck.2'].map((t) => active(t, at(e)));
    expect(row(0)).toEqual([false, false, true]);
    expect(row(4)).toEqual([false, false, true]);
    expect(row(5)).toEqual([false, true, true]);
    expect(row(10)).toEqual([true, true, true]);
    expect(row(50)).toEqual([true, true, true]);
  });

  it('names the unknown tap', () => {
    expect(() => progressiveTaps({ taps: ['a'], every: 1 })('b', at(0))).toThrow(/unknown tap 'b'/);
  });
});
