import type { FillStyle } from './fill-styles.js';
import type { ShapeForm } from './shape-kinds.js';

/**
 * The fine variant's classes, in label order: a class is a (kind, fill) pair, chosen so that
 * classes differ in detail only: side count (pentagon, hexagon, circle), outline vs solid vs
 * striped, one colour or two. Cross and star have no outline: at ~14 px their arms leave no inside.
 */
const FINE_PAIRS = [
  ['circle', 'solid'],
  ['circle', 'outline'],
  ['circle', 'two-tone'],
  ['hexagon', 'solid'],
  ['hexagon', 'outline'],
  ['hexagon', 'striped'],
  ['pentagon', 'solid'],
  ['pentagon', 'outline'],
  ['square', 'solid'],
  ['square', 'outline'],
  ['square', 'striped'],
  ['square', 'two-tone'],
  ['triangle', 'solid'],
  ['triangle', 'outline'],
  ['star', 'solid'],
  ['cross', 'solid'],
] as const satisfies readonly (readonly [ShapeForm, FillStyle])[];

type FinePair = (typeof FINE_PAIRS)[number];
type NameOf<P> = P extends readonly [infer K extends string, infer F extends string] ? `${K}-${F}` : never;

/** A fine class name, `kind-fill`: `hexagon-outline`. */
export type FineClass = NameOf<FinePair>;

/** The name a drawn shape is labelled with: its kind alone (classic) or `kind-fill` (fine). */
export function shapeClassName(kind: ShapeForm, fill?: FillStyle): string {
  return fill === undefined ? kind : `${kind}-${fill}`;
}

const PARTS = new Map<string, { readonly kind: ShapeForm; readonly fill: FillStyle }>(FINE_PAIRS.map(([kind, fill]) => [shapeClassName(kind, fill), { kind, fill }]));

export const FINE_CLASSES: readonly FineClass[] = FINE_PAIRS.map(([kind, fill]) => shapeClassName(kind, fill) as FineClass);

export function isFineClass(value: string): value is FineClass {
  return PARTS.has(value);
}

/** The kind and fill of a fine class; throws for a name that is not one. */
export function fineClassParts(name: string): { readonly kind: ShapeForm; readonly fill: FillStyle } {
  const parts = PARTS.get(name);
  if (!parts) throw new Error(`'${name}' is not a class of the fine shapes variant (${FINE_CLASSES.join(', ')})`);
  return parts;
}

/** Kinds the fine variant draws as unlabelled decoys: near misses of its classes, never a class themselves. */
export const DECOY_KINDS = ['ellipse', 'rectangle'] as const satisfies readonly ShapeForm[];
