import type { Rng } from '@yolo-distill/core';
import { contrastingColour, objectColour, type Rgb } from './colour.js';
import { DECOY_KINDS, fineClassParts } from './fine-classes.js';
import { FILL_STYLES, type FillSpec, type FillStyle } from './fill-styles.js';
import type { SceneSpec } from './scene.js';
import { intBetween, logUniform, place, planBackground, planClutter } from './scene-draws.js';
import type { ShapeForm } from './shape-kinds.js';
import { shapeRegion, type ShapeSpec } from './shape-region.js';
import type { ShapesOptions } from './shapes-options.js';

type FinePlanOptions = Pick<ShapesOptions, 'imageSize' | 'classes' | 'objects' | 'scale' | 'clutter' | 'decoys'>;

/**
 * The fine variant's scene: background and clutter as in the classic variant, then the labelled
 * shapes with decoys (unlabelled ellipses and rectangles in any fill) slipped in among them at random
 * places of the drawing order, so decoys hide shapes and shapes hide decoys. Every draw comes from
 * `rng` in a fixed order.
 */
export function planFineScene(options: FinePlanOptions, rng: Rng): SceneSpec {
  const size = options.imageSize;
  if (options.classes.length === 0) throw new Error('planScene needs at least one class');
  const background = planBackground(size, rng);
  const clutter = Array.from({ length: intBetween(rng, options.clutter[0], options.clutter[1]) }, () => planClutter(options, rng));
  const shapes = Array.from({ length: intBetween(rng, options.objects[0], options.objects[1]) }, () => {
    const { kind, fill } = fineClassParts(options.classes[rng.int(options.classes.length)] as string);
    return planFilledShape(options, kind, fill, false, rng);
  });
  const decoys = options.decoys ?? [0, 0];
  for (let i = intBetween(rng, decoys[0], decoys[1]); i > 0; i--) {
    const decoy = planFilledShape(options, DECOY_KINDS[rng.int(DECOY_KINDS.length)] as ShapeForm, FILL_STYLES[rng.int(FILL_STYLES.length)] as FillStyle, true, rng);
    shapes.splice(rng.int(shapes.length + 1), 0, decoy);
  }
  const grain = { amplitude: rng.uniform(0, 6), seed: rng.int(0x7fffffff) };
  return { width: size, height: size, background, clutter, shapes, grain };
}

function planFilledShape(options: FinePlanOptions, kind: ShapeForm, style: FillStyle, decoy: boolean, rng: Rng): ShapeSpec {
  const size = options.imageSize;
  const extent = logUniform(rng, options.scale[0], options.scale[1]) * size;
  const aspect = rng.uniform(0.45, 0.7);
  const rotation = kind === 'circle' ? 0 : rng.uniform(0, 2 * Math.PI);
  const colour = objectColour(rng);
  const fill = planFill(style, extent, colour, rng);
  const { x0, y0, x1, y1 } = shapeRegion({ kind, cx: 0, cy: 0, size: extent, aspect, rotation, colour }).bounds;
  const cx = place(rng, -x0, size - x1, size);
  const cy = place(rng, -y0, size - y1, size);
  return { kind, cx, cy, size: extent, aspect, rotation, colour, fill, ...(decoy ? { decoy: true } : {}) };
}

/**
 * A fill's numbers for a shape of `extent` pixels. The stroke is 10-14% of the extent, at least
 * 2 px and at most 5 px, and never above 16% of the extent, so that it stays inside the thinnest
 * shape drawn (a triangle's inner radius is 29% of its side, a rectangle's half short side >= 22%).
 * Stripes repeat every 18-26% of the extent, at least every 4 px (2 px of paint, 2 px of gap).
 */
function planFill(style: FillStyle, extent: number, colour: Rgb, rng: Rng): FillSpec {
  switch (style) {
    case 'solid':
      return { style };
    case 'outline':
      return { style, stroke: strokeFor(extent, rng) };
    case 'striped': {
      const stroke = strokeFor(extent, rng);
      return { style, stroke, period: Math.max(4, extent * rng.uniform(0.18, 0.26)), angle: rng.uniform(0, Math.PI) };
    }
    case 'two-tone':
      return { style, second: contrastingColour(rng, colour), angle: rng.uniform(0, 2 * Math.PI) };
  }
}

const strokeFor = (extent: number, rng: Rng): number => Math.min(5, 0.16 * extent, Math.max(2, extent * rng.uniform(0.1, 0.14)));
