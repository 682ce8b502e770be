import { ConfigLocation, InlineConfigSource, parseWith } from '@yolo-distill/core';
import { z } from 'zod';
import { isShapeKind, SHAPE_KINDS, type ShapeKind } from './shape-kinds.js';

/** Everything that decides the images and labels of a shapes dataset (stored in `shapes.json`). */
export interface ShapesOptions {
  /** Width and height of every image, pixels. */
  readonly imageSize: number;
  /** The classes in label order: all six by default, or the first N, or a chosen subset. */
  readonly classes: readonly ShapeKind[];
  readonly train: number;
  readonly val: number;
  /** Shapes drawn per image, [min, max] inclusive. */
  readonly objects: readonly [number, number];
  /** A shape's size as a fraction of the image side, [min, max]; drawn log-uniformly, so small ones are common. */
  readonly scale: readonly [number, number];
  /** Unlabelled lines and blobs per image, [min, max] inclusive. */
  readonly clutter: readonly [number, number];
  /** The fraction of a shape that must stay visible for it to be labelled. */
  readonly minVisible: number;
  readonly seed: number;
}

/** The seed a shapes dataset uses unless told otherwise; fixed so that runs share one dataset. */
export const DEFAULT_SHAPES_SEED = 0;

const namesText = SHAPE_KINDS.join(', ');

const classesSchema = z
  .union([z.int(), z.array(z.string())], { error: `expected a number of classes 1..${SHAPE_KINDS.length} or a list of names from ${namesText}` })
  .transform((value, context): ShapeKind[] => {
    if (typeof value === 'number') {
      if (value < 1 || value > SHAPE_KINDS.length) {
        context.addIssue({ code: 'custom', message: `expected a number of classes 1..${SHAPE_KINDS.length} or a list of names from ${namesText}`, input: value });
        return [];
      }
      return SHAPE_KINDS.slice(0, value);
    }
    if (value.length === 0) context.addIssue({ code: 'custom', message: `expected at least one class name from ${namesText}`, input: value });
    value.forEach((name, index) => {
      if (!isShapeKind(name)) context.addIssue({ code: 'custom', path: [index], message: `expected one of ${namesText}`, input: name });
      else if (value.indexOf(name) !== index) context.addIssue({ code: 'custom', path: [index], message: `'${name}' is listed twice`, input: name });
    });
    return value.filter(isShapeKind);
  })
  .prefault(SHAPE_KINDS.length);

function rangeSchema(item: z.ZodNumber, fallback: readonly [number, number]) {
  return z
    .tuple([item, item])
    .refine(([low, high]) => low <= high, 'expected [min, max] with min <= max')
    .default([fallback[0], fallback[1]]);
}

/** The generator's options as written in YAML (`imgsz` as in Ultralytics), with their defaults. */
export const shapesOptionsSchema = z.strictObject({
  imgsz: z.int().min(16).max(2048).default(160),
  classes: classesSchema,
  train: z.int().min(1).max(1_000_000).default(64),
  val: z.int().min(1).max(1_000_000).default(16),
  objects: rangeSchema(z.int().min(0).max(64), [1, 6]),
  scale: rangeSchema(z.number().gt(0).max(1), [0.06, 0.4]),
  clutter: rangeSchema(z.int().min(0).max(64), [0, 4]),
  minVisible: z.number().min(0).max(1).default(0.4),
  seed: z.int().min(0).max(0xffffffff).default(DEFAULT_SHAPES_SEED),
});

export type ShapesOptionsConfig = z.output<typeof shapesOptionsSchema>;

export function optionsFromConfig(config: ShapesOptionsConfig): ShapesOptions {
  return {
    imageSize: config.imgsz,
    classes: config.classes,
    train: config.train,
    val: config.val,
    objects: config.objects,
    scale: config.scale,
    clutter: config.clutter,
    minVisible: config.minVisible,
    seed: config.seed,
  };
}

/** What a programmatic caller may pass: any subset of the options; `classes` also as a count. */
export type ShapesOptionsInput = Partial<Omit<ShapesOptions, 'classes'>> & { readonly classes?: number | readonly string[] };

/** Fills defaults and validates; a bad value throws a ConfigError naming the option. */
export function resolveShapesOptions(input: ShapesOptionsInput = {}): ShapesOptions {
  const { imageSize, ...rest } = input;
  const raw = Object.fromEntries(Object.entries({ imgsz: imageSize, ...rest }).filter(([, value]) => value !== undefined));
  return optionsFromConfig(parseWith(shapesOptionsSchema, raw, new ConfigLocation(new InlineConfigSource('shapes options'))));
}

/** The options with keys in one fixed order, so that equal options serialise to equal JSON. */
export function canonicalOptions(options: ShapesOptions): ShapesOptions {
  return optionsFromConfig({
    imgsz: options.imageSize,
    classes: [...options.classes],
    train: options.train,
    val: options.val,
    objects: [options.objects[0], options.objects[1]],
    scale: [options.scale[0], options.scale[1]],
    clutter: [options.clutter[0], options.clutter[1]],
    minVisible: options.minVisible,
    seed: options.seed,
  });
}
