import { SeededRng } from '@yolo-distill/core';
import { contrastingColour, hsvToRgb, hueOf, objectColour } from './colour.js';

describe('hsvToRgb', () => {
  it('maps the primary and secondary hues', () => {
    expect(hsvToRgb(0, 1, 1)).toEqual([255, 0, 0]);
    expect(hsvToRgb(1 / 3, 1, 1)).toEqual([0, 255, 0]);
    expect(hsvToRgb(2 / 3, 1, 1)).toEqual([0, 0, 255]);
    expect(hsvToRgb(1 / 6, 1, 1)).toEqual([255, 255, 0]);
    expect(hsvToRgb(1, 1, 1)).toEqual([255, 0, 0]);
  });

  it('maps saturation 0 to grey and value 0 to black', () => {
    expect(hsvToRgb(0.3, 0, 0.5)).toEqual([128, 128, 128]);
    expect(hsvToRgb(0.7, 1, 0)).toEqual([0, 0, 0]);
  });

  it('computes an in-between hue: h=1/8 is three quarters from red to yellow', () => {
    // h * 6 = 0.75: sector 0, f = 0.75, (v, t, p) with t = v(1 - s(1 - f)) = 0.75 -> 191.25
    expect(hsvToRgb(1 / 8, 1, 1)).toEqual([255, 191, 0]);
    // with s = 0.5, v = 0.8: p = 0.4 -> 102, t = 0.8 * (1 - 0.125) = 0.7 -> 178.5 -> 179
    expect(hsvToRgb(1 / 8, 0.5, 0.8)).toEqual([204, 179, 102]);
  });
});

describe('objectColour', () => {
  it('is vivid: max channel >= 0.6 * 255 and saturation >= 0.55', () => {
    const rng = new SeededRng(7);
    for (let i = 0; i < 100; i++) {
      const [r, g, b] = objectColour(rng);
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      expect(max).toBeGreaterThanOrEqual(Math.floor(0.6 * 255));
      expect((max - min) / max).toBeGreaterThanOrEqual(0.55 - 0.01);
    }
  });
});

describe('hueOf', () => {
  it('inverts hsvToRgb on the hue, 0 for greys', () => {
    for (const hue of [0, 0.1, 0.25, 0.4, 0.5, 0.66, 0.9]) expect(hueOf(hsvToRgb(hue, 1, 1))).toBeCloseTo(hue, 2);
    expect(hueOf([90, 90, 90])).toBe(0);
  });
});

describe('contrastingColour', () => {
  it('lies 0.3-0.7 turns of hue away', () => {
    const rng = new SeededRng(4);
    for (let i = 0; i < 100; i++) {
      const colour = objectColour(rng);
      const shift = (((hueOf(contrastingColour(rng, colour)) - hueOf(colour)) % 1) + 1) % 1;
      expect(shift).toBeGreaterThan(0.29);
      expect(shift).toBeLessThan(0.71);
    }
  });
});
