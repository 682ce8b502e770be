import { Canvas } from './canvas.js';
import { polygonRegion, rectanglePoints } from './geometry.js';

const at = (canvas: Canvas, x: number, y: number): number[] => {
  const i = (y * canvas.width + x) * 3;
  return [...canvas.pixels.subarray(i, i + 3)];
};

describe('Canvas', () => {
  it('fills a pixel-aligned square exactly: 20 x 20 pixels, no blended edge', () => {
    const canvas = new Canvas(100, 100);
    const covered = canvas.fill(polygonRegion(rectanglePoints(40, 50, 20, 20, 0)), [200, 100, 50], 0);
    expect(covered).toBe(400);
    expect(at(canvas, 30, 40)).toEqual([200, 100, 50]);
    expect(at(canvas, 49, 59)).toEqual([200, 100, 50]);
    expect(at(canvas, 29, 40)).toEqual([0, 0, 0]);
    expect(at(canvas, 50, 40)).toEqual([0, 0, 0]);
    expect(canvas.ownerCounts(1)).toEqual([400]);
  });

  it('blends a half-covered edge pixel by coverage', () => {
    const canvas = new Canvas(10, 10);
    // x from 2.5 to 5: pixel 2 has 2 of 4 samples inside (x = 2.75), pixel 5 none
    canvas.fill(polygonRegion(rectanglePoints(3.75, 5, 2.5, 10, 0)), [100, 200, 40], 7);
    expect(at(canvas, 2, 5)).toEqual([50, 100, 20]);
    expect(at(canvas, 3, 5)).toEqual([100, 200, 40]);
    expect(at(canvas, 5, 5)).toEqual([0, 0, 0]);
    expect(canvas.owner[5 * 10 + 2]).toBe(7); // half covered counts as owned
  });

  it('lets a later fill take ownership of the pixels it covers', () => {
    const canvas = new Canvas(20, 20);
    canvas.fill(polygonRegion(rectanglePoints(5, 5, 10, 10, 0)), [255, 0, 0], 0); // 100 px
    canvas.fill(polygonRegion(rectanglePoints(10, 10, 10, 10, 0)), [0, 0, 255], 1); // overlaps 5 x 5
    expect(canvas.ownerCounts(2)).toEqual([75, 100]);
  });

  it('paints several colours and holes: each pixel the mean of its painted samples', () => {
    const canvas = new Canvas(4, 1);
    canvas.pixels.fill(100);
    // x < 1 red, 1..2 nothing, 2..2.5 blue (half of pixel 2), beyond nothing
    const paint = { bounds: { x0: 0, y0: 0, x1: 4, y1: 1 }, inkAt: (x: number) => (x < 1 ? ([200, 0, 0] as const) : x >= 2 && x < 2.5 ? ([0, 0, 40] as const) : undefined) };
    expect(canvas.paint(paint, 3)).toBe(2);
    expect(at(canvas, 0, 0)).toEqual([200, 0, 0]);
    expect(at(canvas, 1, 0)).toEqual([100, 100, 100]);
    expect(at(canvas, 2, 0)).toEqual([50, 50, 70]);
    expect([...canvas.owner]).toEqual([3, -1, 3, -1]);
  });

  it('paints a one-colour region exactly as fill does', () => {
    const region = polygonRegion(rectanglePoints(10.3, 9.6, 11.2, 7.7, 0.7));
    const a = new Canvas(20, 20);
    const b = new Canvas(20, 20);
    a.pixels.fill(37);
    b.pixels.fill(37);
    expect(b.paint({ bounds: region.bounds, inkAt: (x, y) => (region.contains(x, y) ? [201, 99, 13] : undefined) }, 1)).toBe(a.fill(region, [201, 99, 13], 1));
    expect([...b.toRgb8()]).toEqual([...a.toRgb8()]);
    expect([...b.owner]).toEqual([...a.owner]);
  });

  it('clips regions to the image', () => {
    const canvas = new Canvas(10, 10);
    expect(canvas.fill(polygonRegion(rectanglePoints(0, 0, 10, 10, 0)), [1, 2, 3])).toBe(25);
  });

  it('rounds and clamps to 8 bits', () => {
    const canvas = new Canvas(2, 1);
    canvas.pixels.set([-3, 254.6, 300, 10.5, 0.49, 128]);
    expect([...canvas.toRgb8()]).toEqual([0, 255, 255, 11, 0, 128]);
  });

  it('adds noise scaled by amplitude', () => {
    const canvas = new Canvas(1, 1);
    canvas.pixels.set([100, 100, 100]);
    canvas.addNoise(4, () => 0.5);
    expect([...canvas.pixels]).toEqual([102, 102, 102]);
  });
});
