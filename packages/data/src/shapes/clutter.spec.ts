import { clutterRegion } from './clutter.js';

describe('clutterRegion', () => {
  it('makes a horizontal line a rectangle of the stroke width', () => {
    const line = clutterRegion({ kind: 'line', from: [10, 20], to: [50, 20], width: 4, colour: [0, 0, 0] });
    expect(line.bounds).toEqual({ x0: 10, y0: 18, x1: 50, y1: 22 });
    expect(line.contains(30, 19)).toBe(true);
    expect(line.contains(30, 22.5)).toBe(false);
  });

  it('makes a blob without waves a 40-gon of the radius', () => {
    const blob = clutterRegion({ kind: 'blob', cx: 50, cy: 50, radius: 10, waves: [], colour: [0, 0, 0] });
    expect(blob.bounds.x0).toBeCloseTo(40, 9);
    expect(blob.bounds.x1).toBeCloseTo(60, 9);
    expect(blob.contains(50, 50)).toBe(true);
    expect(blob.contains(56.7, 56.7)).toBe(true); // 9.48 px out, inside the inradius 10 cos(pi / 40) = 9.97
    expect(blob.contains(58, 58)).toBe(false); // 11.3 px out
  });

  it('pushes the outline out where a wave is positive', () => {
    // k = 1, phase 0: factor at theta = pi/2 (pointing down, +y) is 1 + 0.5
    const blob = clutterRegion({ kind: 'blob', cx: 0, cy: 0, radius: 10, waves: [{ k: 1, amplitude: 0.5, phase: 0 }], colour: [0, 0, 0] });
    expect(blob.bounds.y1).toBeCloseTo(15, 9);
    expect(blob.bounds.y0).toBeCloseTo(-5, 9);
  });
});
