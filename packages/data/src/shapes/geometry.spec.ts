import { crossPoints, ellipseRegion, insetPolygon, polygonRegion, rectanglePoints, regularPolygonPoints, rotateAround, starPoints, type Point } from './geometry.js';

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

describe('starPoints', () => {
  it('alternates tips at the outer radius and notches at the inner one, first tip up', () => {
    const star = starPoints(0, 0, 10, 5, 5, 0);
    expect(star).toHaveLength(10);
    expect(star[0]?.[0]).toBeCloseTo(0, 12);
    expect(star[0]?.[1]).toBeCloseTo(-10, 12);
    // the first notch is 36 degrees clockwise from the tip, at radius 5
    expect(star[1]?.[0]).toBeCloseTo(5 * Math.sin(Math.PI / 5), 12);
    expect(star[1]?.[1]).toBeCloseTo(-5 * Math.cos(Math.PI / 5), 12);
    expect(star.map(([x, y]) => Math.hypot(x, y)).map((r) => Math.round(r))).toEqual([10, 5, 10, 5, 10, 5, 10, 5, 10, 5]);
  });
});

describe('crossPoints', () => {
  it('makes a plus: the arms reach the span, the corners between them are empty', () => {
    const plus = polygonRegion(crossPoints(50, 50, 20, 6, 0));
    expect(plus.bounds).toEqual({ x0: 40, y0: 40, x1: 60, y1: 60 });
    expect(plus.contains(50, 50)).toBe(true);
    expect(plus.contains(40.5, 50)).toBe(true); // left arm
    expect(plus.contains(50, 59.5)).toBe(true); // bottom arm
    expect(plus.contains(42, 42)).toBe(false); // between the arms
    expect(plus.contains(53.5, 50)).toBe(true);
    expect(plus.contains(53.5, 53.5)).toBe(false);
  });
});

describe('insetPolygon', () => {
  const side = (points: readonly Point[], i: number): number => {
    const a = points[i] as Point;
    const b = points[(i + 1) % points.length] as Point;
    return Math.hypot(b[0] - a[0], b[1] - a[1]);
  };

  it('moves every side of a square in by the distance, whichever way round the corners go', () => {
    const square = rectanglePoints(50, 50, 20, 20, 0);
    for (const points of [square, [...square].reverse()]) {
      const inset = polygonRegion(insetPolygon(points, 3));
      expect(inset.bounds.x0).toBeCloseTo(43, 12);
      expect(inset.bounds.y0).toBeCloseTo(43, 12);
      expect(inset.bounds.x1).toBeCloseTo(57, 12);
      expect(inset.bounds.y1).toBeCloseTo(57, 12);
    }
  });

  it('shrinks an equilateral triangle of side 20 by 2 to side 20 - 4 sqrt(3)', () => {
    // the inner radius drops from 20 / (2 sqrt 3) by 2, and the side scales with it
    const inset = insetPolygon(regularPolygonPoints(0, 0, 20 / Math.sqrt(3), 3, 0.4), 2);
    for (let i = 0; i < 3; i++) expect(side(inset, i)).toBeCloseTo(20 - 4 * Math.sqrt(3), 9);
  });

  it('keeps a cross a cross: arms thinner and shorter by twice the distance', () => {
    const inset = polygonRegion(insetPolygon(crossPoints(0, 0, 20, 8, 0), 1));
    expect(inset.bounds.x0).toBeCloseTo(-9, 12);
    expect(inset.bounds.x1).toBeCloseTo(9, 12);
    expect(inset.contains(2.9, 8.5)).toBe(true); // arm now 6 thick
    expect(inset.contains(3.1, 8.5)).toBe(false);
    expect(inset.contains(3.1, 3.1)).toBe(false); // the concave corner moved out to (3, 3)
    expect(inset.contains(2.9, 2.9)).toBe(true);
  });
});
