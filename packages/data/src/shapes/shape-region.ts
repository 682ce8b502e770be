import type { Rgb } from './colour.js';
import { ellipseRegion, polygonRegion, rectanglePoints, regularPolygonPoints, type Region } from './geometry.js';
import type { ShapeKind } from './shape-kinds.js';

/**
 * One labelled shape of a scene. `size` is its main extent in pixels: the diameter of a circle or
 * hexagon (corner to corner), the side of a square or triangle, the long side of a rectangle or
 * ellipse, whose short side is `size * aspect`. `rotation` is in radians.
 */
export interface ShapeSpec {
  readonly kind: ShapeKind;
  readonly cx: number;
  readonly cy: number;
  readonly size: number;
  readonly aspect: number;
  readonly rotation: number;
  readonly colour: Rgb;
}

/** The area a shape covers; its bounds are the exact box of the geometric shape (what its label holds). */
export function shapeRegion(shape: ShapeSpec): Region {
  const { cx, cy, size, aspect, rotation } = shape;
  switch (shape.kind) {
    case 'circle':
      return ellipseRegion(cx, cy, size / 2, size / 2, 0);
    case 'ellipse':
      return ellipseRegion(cx, cy, size / 2, (size * aspect) / 2, rotation);
    case 'square':
      return polygonRegion(rectanglePoints(cx, cy, size, size, rotation));
    case 'rectangle':
      return polygonRegion(rectanglePoints(cx, cy, size, size * aspect, rotation));
    case 'triangle':
      return polygonRegion(regularPolygonPoints(cx, cy, size / Math.sqrt(3), 3, rotation));
    case 'hexagon':
      return polygonRegion(regularPolygonPoints(cx, cy, size / 2, 6, rotation));
  }
}
