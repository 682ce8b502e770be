import { ellipseRegion, polygonRegion, rectanglePoints, regularPolygonPoints, rotateAround } from './geometry.js';

describe('rotateAround', () => {
  it('turns a quarter clockwise on screen (y down)', () => {
    const [x, y] = rotateAround(10, 20, 5, 0, Math.PI / 2);
    expect(x).toBeCloseTo(10, 12);
    expect(y).toBeCloseTo(25, 12);
  });
});

describe('polygonRegion', () => {
  it('fills the half-open square [30, 50) x [40, 60)', () => {
    const square = polygonRegion(rectanglePoints(40, 50, 20, 20, 0));
    expect(square.bounds).toEqual({ x0: 30, y0: 40, x1: 50, y1: 60 });
    expect(square.contains(30, 40)).toBe(true);
    expect(square.contains(49.99, 59.99)).toBe(true);
    expect(square.contains(50, 50)).toBe(false);
    expect(square.contains(29.99, 50)).toBe(false);
  });

  it('fills a non-convex polygon by the even-odd rule', () => {
    // a U shape: the notch (4..6, 0..8) is outside
    const u = polygonRegion([
      [0, 0],
      [4, 0],
      [4, 8],
      [6, 8],
      [6, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ]);
    expect(u.contains(2, 5)).toBe(true);
    expect(u.contains(5, 5)).toBe(false);
    expect(u.contains(5, 9)).toBe(true);
    expect(u.contains(8, 1)).toBe(true);
  });

  it('rejects fewer than 3 points', () => {
    expect(() => polygonRegion([[0, 0], [1, 1]])).toThrow(/at least 3 points/);
  });
});

describe('ellipseRegion', () => {
  it('bounds an axis-aligned ellipse by its semi-axes', () => {
    const ellipse = ellipseRegion(50, 50, 20, 10, 0);
    expect(ellipse.bounds).toEqual({ x0: 30, y0: 40, x1: 70, y1: 60 });
    expect(ellipse.contains(69.9, 50)).toBe(true);
    expect(ellipse.contains(50, 60.1)).toBe(false);
    expect(ellipse.contains(65, 58)).toBe(false); // (15/20)^2 + (8/10)^2 = 1.2025
  });

  it('bounds a rotated ellipse analytically: 90 degrees swaps the axes', () => {
    const b = ellipseRegion(50, 50, 20, 10, Math.PI / 2).bounds;
    expect(b.x0).toBeCloseTo(40, 9);
    expect(b.x1).toBeCloseTo(60, 9);
    expect(b.y0).toBeCloseTo(30, 9);
    expect(b.y1).toBeCloseTo(70, 9);
    // at 45 degrees the half extent is sqrt((400 + 100) / 2) = 15.8114
    const d = ellipseRegion(0, 0, 20, 10, Math.PI / 4).bounds;
    expect(d.x1).toBeCloseTo(Math.sqrt(250), 9);
    expect(d.y1).toBeCloseTo(Math.sqrt(250), 9);
  });
});

describe('regularPolygonPoints', () => {
  it('puts the first corner straight up and spaces corners evenly', () => {
    const hexagon = regularPolygonPoints(0, 0, 10, 6, 0);
    expect(hexagon[0]?.[0]).toBeCloseTo(0, 12);
    expect(hexagon[0]?.[1]).toBeCloseTo(-10, 12);
    expect(hexagon[1]?.[0]).toBeCloseTo(10 * Math.sin(Math.PI / 3), 12);
    expect(hexagon[1]?.[1]).toBeCloseTo(-5, 12);
    expect(hexagon[3]?.[1]).toBeCloseTo(10, 12);
  });
});
