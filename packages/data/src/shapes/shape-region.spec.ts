import type { ShapeKind } from './shape-kinds.js';
import { shapeRegion } from './shape-region.js';

const shape = (kind: ShapeKind, rotation = 0) => ({ kind, cx: 50, cy: 50, size: 20, aspect: 0.5, rotation, colour: [255, 0, 0] as const });

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
