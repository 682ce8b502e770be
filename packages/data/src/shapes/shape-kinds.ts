/**
 * The object classes of the shapes dataset, in label order. Pairs are alike on purpose (circle and
 * ellipse, square and rectangle, hexagon and circle when small), so a small model has to work for it.
 * These are the classes of the classic variant; the fine variant's classes are kind-fill pairs (fine-classes.ts).
 */
export const SHAPE_KINDS = ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'] as const;

export type ShapeKind = (typeof SHAPE_KINDS)[number];

export function isShapeKind(value: string): value is ShapeKind {
  return (SHAPE_KINDS as readonly string[]).includes(value);
}

/** Every outline the generator can draw: the classic kinds and the fine variant's extra ones. */
export const SHAPE_FORMS = [...SHAPE_KINDS, 'pentagon', 'star', 'cross'] as const;

export type ShapeForm = (typeof SHAPE_FORMS)[number];
