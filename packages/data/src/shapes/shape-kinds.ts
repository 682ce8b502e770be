/**
 * The object classes of the shapes dataset, in label order. Pairs are alike on purpose (circle and
 * ellipse, square and rectangle, hexagon and circle when small), so a small model has to work for it.
 */
export const SHAPE_KINDS = ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'] as const;

export type ShapeKind = (typeof SHAPE_KINDS)[number];

export function isShapeKind(value: string): value is ShapeKind {
  return (SHAPE_KINDS as readonly string[]).includes(value);
}
