import { parseWith, type Augmentation, type AugmentContext, type ImageTensorData, type LabelRows, type PluginDescriptor, type Rng, type Sample } from '@yolo-distill/core';
import { z } from 'zod';
import { compose, translation, type Affine } from './geometry/affine.js';
import { labelsToPixels, pixelsToLabels, transformBoxes, type PixelBoxes } from './geometry/boxes.js';
import { checkImage, warpAffine } from './geometry/warp-affine.js';
import { probability } from './probability.js';

/** The ranges of Ultralytics' `random_perspective` (without `perspective`), as its hyperparameters name them. */
export interface AffineJitter {
  /** Rotation drawn from ±degrees. */
  readonly degrees: number;
  /** Translation drawn from ±translate of the output size. */
  readonly translate: number;
  /** Zoom drawn from 1 ± scale. */
  readonly scale: number;
  /** Shear angles (x and y, each) drawn from ±shear degrees. */
  readonly shear: number;
}

/** The YAML keys of an affine jitter with the given defaults. */
export function affineJitterShape(defaults: AffineJitter) {
  return {
    degrees: z.number().min(0).max(180).default(defaults.degrees),
    translate: z.number().min(0).max(1).default(defaults.translate),
    // Below 1, so that a zoom of 1 - scale never reaches 0 (a map with no inverse).
    scale: z.number().min(0).lt(1).default(defaults.scale),
    shear: z.number().min(0).lt(90).default(defaults.shear),
  };
}

export interface RandomAffineConfig extends AffineJitter {
  readonly p: number;
}

/** Ultralytics' defaults: `degrees 0, translate 0.1, scale 0.5, shear 0`; it always applies the transform (p 1). */
export const RANDOM_AFFINE_DEFAULTS: RandomAffineConfig = { p: 1, degrees: 0, translate: 0.1, scale: 0.5, shear: 0 };

const randomAffineSchema = z.strictObject({ p: probability(RANDOM_AFFINE_DEFAULTS.p), ...affineJitterShape(RANDOM_AFFINE_DEFAULTS) });

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A drawn affine map and its zoom (what `box_candidates` scales the boxes before it by). */
export interface DrawnAffine {
  readonly matrix: Affine;
  readonly zoom: number;
}

/**
 * Draws the map of Ultralytics' `RandomPerspective.affine_transform`, `M = T·S·R·C`:
 * C moves the input's centre to the origin; R rotates by `a` (counter-clockwise on screen, as
 * `cv2.getRotationMatrix2D`) and zooms by `s`; S shears by `tan(shx)`, `tan(shy)`; T moves the origin to
 * `(0.5 ± translate) x` the output size. Draw order: a, s, shx, shy, tx, ty, each uniform.
 * With no jitter the map sends the input's centre to the output's centre: for an output half the size
 * (Mosaic's border) that is the central crop.
 */
export function randomAffine(rng: Rng, jitter: AffineJitter, input: Size, output: Size): DrawnAffine {
  const angle = (rng.uniform(-jitter.degrees, jitter.degrees) * Math.PI) / 180;
  const zoom = rng.uniform(1 - jitter.scale, 1 + jitter.scale);
  const shearX = Math.tan((rng.uniform(-jitter.shear, jitter.shear) * Math.PI) / 180);
  const shearY = Math.tan((rng.uniform(-jitter.shear, jitter.shear) * Math.PI) / 180);
  const tx = rng.uniform(0.5 - jitter.translate, 0.5 + jitter.translate) * output.width;
  const ty = rng.uniform(0.5 - jitter.translate, 0.5 + jitter.translate) * output.height;
  const cos = zoom * Math.cos(angle);
  const sin = zoom * Math.sin(angle);
  const rotate: Affine = [cos, sin, 0, -sin, cos, 0];
  const shear: Affine = [1, shearX, 0, shearY, 1, 0];
  return { matrix: compose(translation(tx, ty), shear, rotate, translation(-input.width / 2, -input.height / 2)), zoom };
}

/** An image and its boxes (pixels) through one affine map into an `output`-sized image and normalised labels. */
export function warpLabelled(image: ImageTensorData, boxes: PixelBoxes, drawn: DrawnAffine, output: Size): { image: ImageTensorData; labels: LabelRows } {
  const warped = warpAffine(image, drawn.matrix, output.width, output.height);
  const moved = transformBoxes(boxes, drawn.matrix, output.width, output.height, drawn.zoom);
  return { image: warped, labels: pixelsToLabels(moved, output.width, output.height) };
}

/**
 * `augment.RandomAffine`: rotation, zoom, shear and translation about the image centre, output the
 * input's size, uncovered pixels 114 grey, bilinear sampling. Labels move with the same map (the
 * bounding box of each box's four mapped corners), are clipped to the image and filtered by
 * `box_candidates` (see `BOX_FILTER`).
 */
export class RandomAffine implements Augmentation {
  readonly name = 'augment.RandomAffine';

  constructor(private readonly config: RandomAffineConfig = RANDOM_AFFINE_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  async apply(sample: Sample, { rng }: AugmentContext): Promise<Sample> {
    checkImage(sample.image, sample.source);
    const drawn = randomAffine(rng, this.config, sample.image, sample.image);
    const { width, height } = sample.image;
    return { ...sample, ...warpLabelled(sample.image, labelsToPixels(sample.labels, width, height), drawn, sample.image) };
  }
}

export const randomAffineAugmentation: PluginDescriptor<RandomAffineConfig, Augmentation> = {
  type: 'augment.RandomAffine',
  kind: 'augmentation',
  summary: 'random rotation, zoom, shear and translation (Ultralytics random_perspective); labels follow, clipped and filtered',
  schema: randomAffineSchema,
  parse: (raw, at) => parseWith(randomAffineSchema, raw, at),
  create: (config) => new RandomAffine(config),
};
