import type { Rgb } from './colour.js';
import type { FillSpec } from './fill-styles.js';
import { crossPoints, ellipseRegion, insetPolygon, polygonRegion, rectanglePoints, regularPolygonPoints, starPoints, type Point, type Region } from './geometry.js';
import type { ShapeForm } from './shape-kinds.js';

/**
 * One shape of a scene. `size` is its main extent in pixels: the diameter of a circle, hexagon,
 * pentagon or star (corner to corner), the side of a square or triangle, the long side of a
 * rectangle or ellipse, whose short side is `size * aspect`, the span of a cross. `rotation` is in
 * radians. The classic variant draws solid labelled shapes and sets neither `fill` nor `decoy`.
 */
export interface ShapeSpec {
  readonly kind: ShapeForm;
  readonly cx: number;
  readonly cy: number;
  readonly size: number;
  readonly aspect: number;
  readonly rotation: number;
  readonly colour: Rgb;
  /** How the inside is painted (fine variant); absent: solid, drawn exactly as the classic variant draws. */
  readonly fill?: FillSpec;
  /** A distractor drawn like a shape and never labelled (fine variant). */
  readonly decoy?: boolean;
}

/** A star's notches sit at half the radius of its tips: fat enough to read at 14 px. */
export const STAR_INNER_RATIO = 0.5;
/** A cross's bars are 40% of its span thick. */
export const CROSS_ARM_RATIO = 0.4;

/** A shape's edge: an ellipse (semi-axes `rx` along `rotation`, `ry`) or a polygon. */
export type ShapeOutline =
  | { readonly kind: 'ellipse'; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number; readonly rotation: number }
  | { readonly kind: 'polygon'; readonly points: readonly Point[] };

export function shapeOutline(shape: ShapeSpec): ShapeOutline {
  const { cx, cy, size, aspect, rotation } = shape;
  const polygon = (points: readonly Point[]): ShapeOutline => ({ kind: 'polygon', points });
  switch (shape.kind) {
    case 'circle':
      return { kind: 'ellipse', cx, cy, rx: size / 2, ry: size / 2, rotation: 0 };
    case 'ellipse':
      return { kind: 'ellipse', cx, cy, rx: size / 2, ry: (size * aspect) / 2, rotation };
    case 'square':
      return polygon(rectanglePoints(cx, cy, size, size, rotation));
    case 'rectangle':
      return polygon(rectanglePoints(cx, cy, size, size * aspect, rotation));
    case 'triangle':
      return polygon(regularPolygonPoints(cx, cy, size / Math.sqrt(3), 3, rotation));
    case 'hexagon':
      return polygon(regularPolygonPoints(cx, cy, size / 2, 6, rotation));
    case 'pentagon':
      return polygon(regularPolygonPoints(cx, cy, size / 2, 5, rotation));
    case 'star':
      return polygon(starPoints(cx, cy, size / 2, (size / 2) * STAR_INNER_RATIO, 5, rotation));
    case 'cross':
      return polygon(crossPoints(cx, cy, size, size * CROSS_ARM_RATIO, rotation));
  }
}

/** The area a shape covers; its bounds are the exact box of the geometric shape (what its label holds). */
export function shapeRegion(shape: ShapeSpec): Region {
  const outline = shapeOutline(shape);
  return outline.kind === 'ellipse' ? ellipseRegion(outline.cx, outline.cy, outline.rx, outline.ry, outline.rotation) : polygonRegion(outline.points);
}

/**
 * The shape shrunk by `by` pixels on every side: what an outline of that stroke leaves unpainted.
 * Polygons move each edge inward (exact); ellipses shrink both semi-axes (exact for circles). Empty
 * when `by` reaches the ellipse's short semi-axis.
 */
export function shapeInsetRegion(shape: ShapeSpec, by: number): Region {
  const outline = shapeOutline(shape);
  if (outline.kind === 'polygon') return polygonRegion(insetPolygon(outline.points, by));
  const rx = outline.rx - by;
  const ry = outline.ry - by;
  if (rx <= 0 || ry <= 0) return { bounds: { x0: outline.cx, y0: outline.cy, x1: outline.cx, y1: outline.cy }, contains: () => false };
  return ellipseRegion(outline.cx, outline.cy, rx, ry, outline.rotation);
}
