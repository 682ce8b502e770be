import { ConfigLocation, InlineConfigSource, parseWith } from '@yolo-distill/core';
import { z } from 'zod';
import { FINE_MIN_PIXELS, isShapesVariant, SHAPES_CATALOGUES, SHAPES_VARIANTS, type ShapeClass, type ShapesVariant, type VariantCatalogue } from './shape-variants.js';

/** Everything that decides the images and labels of a shapes dataset (stored in `shapes.json`). */
export interface ShapesOptions {
  /** Width and height of every image, pixels. */
  readonly imageSize: number;
  /** Which classes and drawing (shape-variants.ts); absent means `classic`, so classic options read as they always did. */
  readonly variant?: ShapesVariant;
  /** The classes in label order: all of the variant's by default, or the first N, or a chosen subset. */
  readonly classes: readonly ShapeClass[];
  readonly train: number;
  readonly val: number;
  /** Shapes drawn per image, [min, max] inclusive. */
  readonly objects: readonly [number, number];
  /** A shape's size as a fraction of the image side, [min, max]; drawn log-uniformly, so small ones are common. */
  readonly scale: readonly [number, number];
  /** Unlabelled lines and blobs per image, [min, max] inclusive. */
  readonly clutter: readonly [number, number];
  /** Fine variant only: unlabelled decoy shapes (ellipses, rectangles) per image, drawn among the shapes. */
  readonly decoys?: readonly [number, number];
  /** The fraction of a shape that must stay visible for it to be labelled. */
  readonly minVisible: number;
  readonly seed: number;
}

/** The seed a shapes dataset uses unless told otherwise; fixed so that runs share one dataset. */
export const DEFAULT_SHAPES_SEED = 0;

function classesSchema(variant: ShapesVariant) {
  const catalogue = SHAPES_CATALOGUES[variant];
  const namesText = catalogue.classes.join(', ');
  const expected = `expected a number of classes 1..${catalogue.classes.length} or a list of names from ${namesText}`;
  return z
    .union([z.int(), z.array(z.string())], { error: expected })
    .transform((value, context): ShapeClass[] => {
      if (typeof value === 'number') {
        if (value < 1 || value > catalogue.classes.length) {
          context.addIssue({ code: 'custom', message: expected, input: value });
          return [];
        }
        return catalogue.classes.slice(0, value);
      }
      if (value.length === 0) context.addIssue({ code: 'custom', message: `expected at least one class name from ${namesText}`, input: value });
      value.forEach((name, index) => {
        if (!catalogue.isClass(name)) context.addIssue({ code: 'custom', path: [index], message: `expected one of ${namesText}${otherVariantHint(variant, name)}`, input: name });
        else if (value.indexOf(name) !== index) context.addIssue({ code: 'custom', path: [index], message: `'${name}' is listed twice`, input: name });
      });
      return value.filter((name) => catalogue.isClass(name));
    })
    .prefault(catalogue.classes.length);
}

/** ` ('hexagon-outline' is a class of variant fine)` when the name belongs to another variant. */
function otherVariantHint(variant: ShapesVariant, name: string): string {
  const other = SHAPES_VARIANTS.find((candidate) => candidate !== variant && SHAPES_CATALOGUES[candidate].isClass(name));
  return other === undefined ? '' : ` ('${name}' is a class of variant ${other}: set variant: ${other})`;
}

function rangeSchema(item: z.ZodNumber, fallback: readonly [number, number]) {
  return z
    .tuple([item, item])
    .refine(([low, high]) => low <= high, 'expected [min, max] with min <= max')
    .default([fallback[0], fallback[1]]);
}

const countRange = (fallback: readonly [number, number]) => rangeSchema(z.int().min(0).max(64), fallback);

/** The keys every variant takes. */
function commonShape(variant: ShapesVariant, catalogue: VariantCatalogue) {
  return {
    imgsz: z.int().min(16).max(2048).default(160),
    variant: z.enum(SHAPES_VARIANTS).default('classic'),
    classes: classesSchema(variant),
    train: z.int().min(1).max(1_000_000).default(64),
    val: z.int().min(1).max(1_000_000).default(16),
    objects: countRange([1, 6]),
    scale: rangeSchema(z.number().gt(0).max(1), catalogue.scale),
    clutter: countRange([0, 4]),
    minVisible: z.number().min(0).max(1).default(catalogue.minVisible),
    seed: z.int().min(0).max(0xffffffff).default(DEFAULT_SHAPES_SEED),
  };
}

function classicSchema() {
  return z.strictObject(commonShape('classic', SHAPES_CATALOGUES.classic));
}

function fineSchema() {
  const catalogue = SHAPES_CATALOGUES.fine;
  return z
    .strictObject({ ...commonShape('fine', catalogue), decoys: countRange(catalogue.decoys ?? [0, 0]) })
    .superRefine((config, context) => {
      const smallest = config.scale[0] * config.imgsz;
      if (smallest >= FINE_MIN_PIXELS) return;
      const needed = Math.ceil((FINE_MIN_PIXELS / config.imgsz) * 1000) / 1000;
      context.addIssue({
        code: 'custom',
        path: ['scale', 0],
        message: `the fine variant needs objects of at least ${FINE_MIN_PIXELS} px for their fill to show, but ${config.scale[0]} x imgsz ${config.imgsz} = ${smallest.toFixed(1)} px: use scale[0] >= ${needed} or a larger imgsz`,
      });
    });
}

const SCHEMAS = { classic: classicSchema(), fine: fineSchema() } as const;

/** The generator's options as written in YAML (`imgsz` as in Ultralytics) for one variant, with that variant's defaults. */
export function shapesOptionsSchemaFor(variant: ShapesVariant): (typeof SCHEMAS)[ShapesVariant] {
  return SCHEMAS[variant];
}

/** The classic variant's schema (what `data.Shapes` took before variants existed). */
export const shapesOptionsSchema = SCHEMAS.classic;

/**
 * The variant a raw options node asks for, to pick its schema: `classic` when absent or not a
 * variant (the schema then reports the bad value at `variant`).
 */
export function variantOf(raw: unknown): ShapesVariant {
  const variant = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['variant'] : undefined;
  return isShapesVariant(variant) ? variant : 'classic';
}

/** The parsed YAML of one variant's options (`decoys` only in the fine variant's). */
export type ShapesOptionsConfig = z.output<(typeof SCHEMAS)['classic']> & { readonly decoys?: [number, number] };

export function optionsFromConfig(config: ShapesOptionsConfig): ShapesOptions {
  const fine = config.variant === 'fine';
  return {
    imageSize: config.imgsz,
    // the classic variant is written as no variant at all, so classic manifests stay as they were
    ...(fine ? { variant: config.variant } : {}),
    classes: config.classes,
    train: config.train,
    val: config.val,
    objects: config.objects,
    scale: config.scale,
    clutter: config.clutter,
    ...(fine ? { decoys: config.decoys ?? [0, 0] } : {}),
    minVisible: config.minVisible,
    seed: config.seed,
  };
}

/** Validates a raw options node with the schema of the variant it asks for; errors carry `at`'s file and path. */
export function parseShapesOptions(raw: unknown, at: ConfigLocation): ShapesOptions {
  return optionsFromConfig(parseWith(shapesOptionsSchemaFor(variantOf(raw)), raw, at));
}

/** What a programmatic caller may pass: any subset of the options; `classes` also as a count. */
export type ShapesOptionsInput = Partial<Omit<ShapesOptions, 'classes'>> & { readonly classes?: number | readonly string[] };

/** Fills defaults and validates; a bad value throws a ConfigError naming the option. */
export function resolveShapesOptions(input: ShapesOptionsInput = {}): ShapesOptions {
  const { imageSize, ...rest } = input;
  const raw = Object.fromEntries(Object.entries({ imgsz: imageSize, ...rest }).filter(([, value]) => value !== undefined));
  return parseShapesOptions(raw, new ConfigLocation(new InlineConfigSource('shapes options')));
}

/** The options with keys in one fixed order, so that equal options serialise to equal JSON. */
export function canonicalOptions(options: ShapesOptions): ShapesOptions {
  const decoys = options.decoys;
  return optionsFromConfig({
    imgsz: options.imageSize,
    variant: options.variant ?? 'classic',
    classes: [...options.classes],
    train: options.train,
    val: options.val,
    objects: [options.objects[0], options.objects[1]],
    scale: [options.scale[0], options.scale[1]],
    clutter: [options.clutter[0], options.clutter[1]],
    ...(decoys ? { decoys: [decoys[0], decoys[1]] as [number, number] } : {}),
    minVisible: options.minVisible,
    seed: options.seed,
  });
}
