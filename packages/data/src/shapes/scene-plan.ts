import type { Rng } from '@yolo-distill/core';
import { objectColour } from './colour.js';
import { planFineScene } from './fine-scene-plan.js';
import type { SceneSpec } from './scene.js';
import { intBetween, logUniform, place, planBackground, planClutter } from './scene-draws.js';
import { isShapeKind } from './shape-kinds.js';
import { shapeRegion, type ShapeSpec } from './shape-region.js';
import type { ShapesOptions } from './shapes-options.js';

type PlanOptions = Pick<ShapesOptions, 'imageSize' | 'variant' | 'classes' | 'objects' | 'scale' | 'clutter' | 'decoys'>;

/**
 * Draws the random choices of one image: a textured background, clutter and shapes, each shape
 * placed wholly inside the image (centred when it is larger than the image). Every draw comes from
 * `rng`, in a fixed order, so the same rng state gives the same scene. The fine variant plans its
 * scenes in fine-scene-plan.ts; what follows is the classic variant's, unchanged since it was written.
 */
export function planScene(options: PlanOptions, rng: Rng): SceneSpec {
  if (options.variant === 'fine') return planFineScene(options, rng);
  const size = options.imageSize;
  const background = planBackground(size, rng);
  const clutter = Array.from({ length: intBetween(rng, options.clutter[0], options.clutter[1]) }, () => planClutter(options, rng));
  const shapes = Array.from({ length: intBetween(rng, options.objects[0], options.objects[1]) }, () => planShape(options, rng));
  const grain = { amplitude: rng.uniform(0, 6), seed: rng.int(0x7fffffff) };
  return { width: size, height: size, background, clutter, shapes, grain };
}

function planShape(options: PlanOptions, rng: Rng): ShapeSpec {
  const size = options.imageSize;
  if (options.classes.length === 0) throw new Error('planScene needs at least one class');
  const kind = options.classes[rng.int(options.classes.length)] as string;
  if (!isShapeKind(kind)) throw new Error(`'${kind}' is not a class of the classic shapes variant`);
  const extent = logUniform(rng, options.scale[0], options.scale[1]) * size;
  const aspect = rng.uniform(0.45, 0.7);
  const rotation = kind === 'circle' ? 0 : rng.uniform(0, 2 * Math.PI);
  const colour = objectColour(rng);
  // where the centre may go so that the whole shape stays inside the image
  const { x0, y0, x1, y1 } = shapeRegion({ kind, cx: 0, cy: 0, size: extent, aspect, rotation, colour }).bounds;
  const cx = place(rng, -x0, size - x1, size);
  const cy = place(rng, -y0, size - y1, size);
  return { kind, cx, cy, size: extent, aspect, rotation, colour };
}
