import { FINE_CLASSES, isFineClass, type FineClass } from './fine-classes.js';
import { isShapeKind, SHAPE_KINDS, type ShapeKind } from './shape-kinds.js';

/**
 * The generator's variants. `classic`: six solid kinds from 6% of the image side up (the original
 * dataset, unchanged). `fine`: sixteen kind-fill classes that differ in detail, objects of at least
 * 12 px, unlabelled decoy shapes; made for benchmarks where capacity matters.
 */
export const SHAPES_VARIANTS = ['classic', 'fine'] as const;

export type ShapesVariant = (typeof SHAPES_VARIANTS)[number];

/** A class name of either variant. */
export type ShapeClass = ShapeKind | FineClass;

/** A variant's classes (label order when all are used) and the defaults that differ between variants. */
export interface VariantCatalogue {
  readonly classes: readonly ShapeClass[];
  isClass(name: string): name is ShapeClass;
  readonly scale: readonly [number, number];
  readonly minVisible: number;
  /** Unlabelled decoy shapes per image; `undefined`: the variant draws none and takes no `decoys` option. */
  readonly decoys: readonly [number, number] | undefined;
}

/** The smallest object, in pixels, the fine variant draws: below it an outline or stripes no longer show. */
export const FINE_MIN_PIXELS = 12;

export const SHAPES_CATALOGUES: Readonly<Record<ShapesVariant, VariantCatalogue>> = {
  classic: { classes: SHAPE_KINDS, isClass: isShapeKind, scale: [0.06, 0.4], minVisible: 0.4, decoys: undefined },
  // 0.11 x 128 px = 14 px; a fine shape hidden by more than 40% may have lost the detail that names it
  fine: { classes: FINE_CLASSES, isClass: isFineClass, scale: [0.11, 0.45], minVisible: 0.6, decoys: [0, 2] },
};

export function isShapesVariant(value: unknown): value is ShapesVariant {
  return typeof value === 'string' && (SHAPES_VARIANTS as readonly string[]).includes(value);
}
