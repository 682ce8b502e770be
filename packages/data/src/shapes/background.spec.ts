import { SeededRng } from '@yolo-distill/core';
import { paintBackground, valueNoise } from './background.js';
import { Canvas } from './canvas.js';

const at = (canvas: Canvas, x: number, y: number): number[] => {
  const i = (y * canvas.width + x) * 3;
  return [...canvas.pixels.subarray(i, i + 3)].map((v) => Math.round(v * 1000) / 1000);
};

describe('paintBackground', () => {
  it('paints a solid colour everywhere', () => {
    const canvas = new Canvas(4, 3);
    paintBackground(canvas, { kind: 'solid', colour: [10, 20, 30] });
    expect(at(canvas, 0, 0)).toEqual([10, 20, 30]);
    expect(at(canvas, 3, 2)).toEqual([10, 20, 30]);
  });

  it('runs a horizontal gradient from the left edge to the right edge', () => {
    // 10 px wide, angle 0: pixel centre x + 0.5 maps to t = (x + 0.5) / 10
    const canvas = new Canvas(10, 2);
    paintBackground(canvas, { kind: 'gradient', from: [0, 0, 0], to: [200, 100, 0], angle: 0 });
    expect(at(canvas, 0, 0)).toEqual([10, 5, 0]);
    expect(at(canvas, 9, 1)).toEqual([190, 95, 0]);
  });

  it('repeats stripes every period pixels', () => {
    const canvas = new Canvas(16, 1);
    paintBackground(canvas, { kind: 'stripes', from: [0, 0, 0], to: [100, 100, 100], angle: 0, period: 8 });
    // x = 1.5: sin(2 pi 1.5 / 8) = sin(3 pi / 8) = 0.92388 -> 50 + 50 * 0.92388
    expect(at(canvas, 1, 0)[0]).toBeCloseTo(96.194, 2);
    expect(at(canvas, 9, 0)).toEqual(at(canvas, 1, 0));
  });

  it('paints value noise between the two colours, the same for the same seed', () => {
    const a = new Canvas(32, 32);
    const b = new Canvas(32, 32);
    paintBackground(a, { kind: 'noise', from: [0, 0, 0], to: [255, 255, 255], cell: 8, seed: 3 });
    paintBackground(b, { kind: 'noise', from: [0, 0, 0], to: [255, 255, 255], cell: 8, seed: 3 });
    expect(Buffer.from(a.pixels.buffer).equals(Buffer.from(b.pixels.buffer))).toBe(true);
    expect(Math.min(...a.pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.pixels)).toBeLessThanOrEqual(255);
  });
});

describe('valueNoise', () => {
  const draws = (seed: number, n: number): number[] => {
    const rng = new SeededRng(seed);
    return Array.from({ length: n }, () => rng.next());
  };

  it('equals the grid value where a pixel centre falls on a grid point', () => {
    // cell 0.5: pixel centre x + 0.5 is grid point 2x + 1 (t = 0); the grid has ceil(2 / 0.5) + 2 = 6 columns
    const grid = draws(11, 36);
    const field = valueNoise(2, 2, 0.5, 11);
    expect(field[0]).toBeCloseTo(grid[1 * 6 + 1] as number, 6);
    expect(field[1]).toBeCloseTo(grid[1 * 6 + 3] as number, 6);
    expect(field[3]).toBeCloseTo(grid[3 * 6 + 3] as number, 6);
  });

  it('averages the four surrounding grid values half-way between grid points', () => {
    // cell 1: centre 0.5 is half-way (smoothstep(0.5) = 0.5); 3 + 2 = 5 columns
    const grid = draws(5, 25);
    const field = valueNoise(3, 3, 1, 5);
    const g = (col: number, row: number): number => grid[row * 5 + col] as number;
    expect(field[0]).toBeCloseTo((g(0, 0) + g(1, 0) + g(0, 1) + g(1, 1)) / 4, 6);
    expect(field[1 * 3 + 2]).toBeCloseTo((g(2, 1) + g(3, 1) + g(2, 2) + g(3, 2)) / 4, 6);
  });
});
