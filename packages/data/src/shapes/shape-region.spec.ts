import type { ShapeForm } from './shape-kinds.js';
import { shapeInsetRegion, shapeRegion } from './shape-region.js';

const shape = (kind: ShapeForm, rotation = 0) => ({ kind, cx: 50, cy: 50, size: 20, aspect: 0.5, rotation, colour: [255, 0, 0] as const });

describe('shapeRegion', () => {
  it('bounds each kind at rotation 0 by hand-computed extents', () => {
    expect(shapeRegion(shape('circle')).bounds).toEqual({ x0: 40, y0: 40, x1: 60, y1: 60 });
    expect(shapeRegion(shape('ellipse')).bounds).toEqual({ x0: 40, y0: 45, x1: 60, y1: 55 });
    expect(shapeRegion(shape('square')).bounds).toEqual({ x0: 40, y0: 40, x1: 60, y1: 60 });
    expect(shapeRegion(shape('rectangle')).bounds).toEqual({ x0: 40, y0: 45, x1: 60, y1: 55 });
    // equilateral triangle of side 20: circumradius 20/sqrt(3) = 11.547 above the centre, inradius 5.7735 below
    const triangle = shapeRegion(shape('triangle')).bounds;
    expect(triangle.x0).toBeCloseTo(40, 9);
    expect(triangle.x1).toBeCloseTo(60, 9);
    expect(triangle.y0).toBeCloseTo(50 - 20 / Math.sqrt(3), 9);
    expect(triangle.y1).toBeCloseTo(50 + 10 / Math.sqrt(3), 9);
    // hexagon with a corner up: height 20, width 20 * sin(60 deg) = 17.32
    const hexagon = shapeRegion(shape('hexagon')).bounds;
    expect(hexagon.y0).toBeCloseTo(40, 9);
    expect(hexagon.y1).toBeCloseTo(60, 9);
    expect(hexagon.x1 - hexagon.x0).toBeCloseTo(20 * Math.sin(Math.PI / 3), 9);
  });

  it('bounds a square turned 45 degrees by its diagonal', () => {
    const b = shapeRegion(shape('square', Math.PI / 4)).bounds;
    expect(b.x1 - b.x0).toBeCloseTo(20 * Math.SQRT2, 9);
    expect(b.y1 - b.y0).toBeCloseTo(20 * Math.SQRT2, 9);
  });

  it('contains its centre and not a point just outside its box', () => {
    for (const kind of ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'] as const) {
      const region = shapeRegion(shape(kind, 0.3));
      expect(region.contains(50, 50)).toBe(true);
      expect(region.contains(region.bounds.x1 + 0.01, 50)).toBe(false);
    }
  });
});

describe('shapeRegion of the fine variant\'s kinds', () => {
  it('bounds a pentagon, a star and a cross at rotation 0 by hand-computed extents', () => {
    // pentagon of diameter 20: a corner 10 above the centre, the base 10 cos 36 = 8.09 below, width 20 sin 72 = 19.02
    const pentagon = shapeRegion(shape('pentagon')).bounds;
    expect(pentagon.y0).toBeCloseTo(40, 9);
    expect(pentagon.y1).toBeCloseTo(50 + 10 * Math.cos(Math.PI / 5), 9);
    expect(pentagon.x1 - pentagon.x0).toBeCloseTo(20 * Math.sin((2 * Math.PI) / 5), 9);
    // a star's tips sit where the pentagon's corners are
    const star = shapeRegion(shape('star')).bounds;
    expect(star.y0).toBeCloseTo(pentagon.y0, 9);
    expect(star.y1).toBeCloseTo(pentagon.y1, 9);
    expect(star.x0).toBeCloseTo(pentagon.x0, 9);
    expect(shapeRegion(shape('cross')).bounds).toEqual({ x0: 40, y0: 40, x1: 60, y1: 60 });
  });

  it('leaves the notches of a star and the corners of a cross empty', () => {
    const star = shapeRegion(shape('star'));
    expect(star.contains(50, 50)).toBe(true);
    expect(star.contains(50, 41)).toBe(true); // inside the top tip
    expect(star.contains(45, 43)).toBe(false); // between the top tip and the next one
    const cross = shapeRegion(shape('cross'));
    expect(cross.contains(42, 42)).toBe(false);
    expect(cross.contains(50, 41)).toBe(true);
  });
});

describe('shapeInsetRegion', () => {
  it('shrinks a circle of diameter 20 by 3 to radius 7', () => {
    const inner = shapeInsetRegion(shape('circle'), 3);
    expect(inner.bounds).toEqual({ x0: 43, y0: 43, x1: 57, y1: 57 });
    expect(inner.contains(56.9, 50)).toBe(true);
    expect(inner.contains(57.1, 50)).toBe(false);
  });

  it('moves a hexagon\'s flat sides in by the stroke', () => {
    // corner up: the flat sides are vertical, 10 cos 30 = 8.66 from the centre
    const inner = shapeInsetRegion(shape('hexagon'), 2);
    expect(inner.contains(50 + 10 * Math.cos(Math.PI / 6) - 2.05, 50)).toBe(true);
    expect(inner.contains(50 + 10 * Math.cos(Math.PI / 6) - 1.95, 50)).toBe(false);
  });

  it('is empty once the stroke reaches an ellipse\'s short semi-axis', () => {
    const inner = shapeInsetRegion(shape('ellipse'), 5);
    expect(inner.contains(50, 50)).toBe(false);
  });
});
