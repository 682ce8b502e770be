import { shapePaint } from './shape-paint.js';
import type { ShapeSpec } from './shape-region.js';

const red = [250, 10, 10] as const;
const blue = [10, 10, 250] as const;
const base = { cx: 50, cy: 50, size: 40, aspect: 0.5, rotation: 0, colour: red };

describe('shapePaint', () => {
  it('paints a solid shape everywhere inside it, and nothing outside its box', () => {
    const paint = shapePaint({ ...base, kind: 'hexagon', fill: { style: 'solid' } });
    expect(paint.inkAt(50, 50)).toBe(red);
    expect(paint.inkAt(50, 31)).toBe(red);
    expect(paint.inkAt(50, 29)).toBeUndefined();
    expect(paint.bounds.y0).toBeCloseTo(30, 9);
  });

  it('paints an outline only within the stroke of the edge', () => {
    // corner up: flat sides at x = 50 +- 20 cos 30 = 50 +- 17.32, a stroke of 4 paints 32.68..36.68 on the left
    const paint = shapePaint({ ...base, kind: 'hexagon', fill: { style: 'outline', stroke: 4 } });
    expect(paint.inkAt(32.5, 50)).toBeUndefined();
    expect(paint.inkAt(33, 50)).toBe(red);
    expect(paint.inkAt(36.5, 50)).toBe(red);
    expect(paint.inkAt(37, 50)).toBeUndefined();
    expect(paint.inkAt(50, 50)).toBeUndefined();
  });

  it('paints stripes of half a period, one centred on the centre, inside a stroke', () => {
    // angle 0, period 8: paint where x - 50 is in [-2, 2) + 8k
    const paint = shapePaint({ ...base, kind: 'square', fill: { style: 'striped', stroke: 3, period: 8, angle: 0 } });
    const row = [36.5, 38.5, 40.5, 42.5, 44.5, 46.5, 48.5, 50.5, 52.5, 54.5, 56.5, 58.5].map((x) => (paint.inkAt(x, 50) ? 1 : 0));
    expect(row).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(paint.inkAt(31, 50)).toBe(red); // the stroke, x 30..33
    expect(paint.inkAt(31, 50 + 16)).toBe(red);
    // stripes run along y: the same at any height inside
    expect(paint.inkAt(49, 40)).toBe(red);
    expect(paint.inkAt(53, 40)).toBeUndefined();
  });

  it('splits a two-tone shape through its centre, the second colour where the angle points', () => {
    const shape: ShapeSpec = { ...base, kind: 'circle', fill: { style: 'two-tone', second: blue, angle: Math.PI / 2 } };
    const paint = shapePaint(shape);
    expect(paint.inkAt(50, 45)).toBe(red);
    expect(paint.inkAt(50, 55)).toBe(blue);
    expect(paint.inkAt(35, 50.1)).toBe(blue);
    expect(paint.inkAt(50, 71)).toBeUndefined();
  });

  it('paints a shape without a fill solid', () => {
    expect(shapePaint({ ...base, kind: 'star' }).inkAt(50, 50)).toBe(red);
  });
});
