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
