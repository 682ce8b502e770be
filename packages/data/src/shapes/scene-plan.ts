import type { Rng } from '@yolo-distill/core';
import type { BackgroundSpec } from './background.js';
import type { ClutterSpec } from './clutter.js';
import { backgroundColour, clutterColour, objectColour } from './colour.js';
import type { SceneSpec } from './scene.js';
import type { ShapeKind } from './shape-kinds.js';
import { shapeRegion, type ShapeSpec } from './shape-region.js';
import type { ShapesOptions } from './shapes-options.js';

type PlanOptions = Pick<ShapesOptions, 'imageSize' | 'classes' | 'objects' | 'scale' | 'clutter'>;

/** An integer in [low, high], inclusive. */
const intBetween = (rng: Rng, low: number, high: number): number => low + rng.int(high - low + 1);
const logUniform = (rng: Rng, low: number, high: number): number => Math.exp(rng.uniform(Math.log(low), Math.log(high)));

/**
 * Draws the random choices of one image: a textured background, clutter and shapes, each shape
 * placed wholly inside the image (centred when it is larger than the image). Every draw comes from
 * `rng`, in a fixed order, so the same rng state gives the same scene.
 */
export function planScene(options: PlanOptions, rng: Rng): SceneSpec {
  const size = options.imageSize;
  const background = planBackground(size, rng);
  const clutter = Array.from({ length: intBetween(rng, options.clutter[0], options.clutter[1]) }, () => planClutter(options, rng));
  const shapes = Array.from({ length: intBetween(rng, options.objects[0], options.objects[1]) }, () => planShape(options, rng));
  const grain = { amplitude: rng.uniform(0, 6), seed: rng.int(0x7fffffff) };
  return { width: size, height: size, background, clutter, shapes, grain };
}

function planBackground(size: number, rng: Rng): BackgroundSpec {
  const kind = rng.int(3);
  const from = backgroundColour(rng);
  const to = backgroundColour(rng);
  const angle = rng.uniform(0, Math.PI);
  if (kind === 0) return { kind: 'gradient', from, to, angle };
  if (kind === 1) return { kind: 'stripes', from, to, angle, period: rng.uniform(0.03, 0.2) * size };
  return { kind: 'noise', from, to, cell: rng.uniform(0.05, 0.3) * size, seed: rng.int(0x7fffffff) };
}

function planClutter(options: PlanOptions, rng: Rng): ClutterSpec {
  const size = options.imageSize;
  const colour = clutterColour(rng);
  if (rng.next() < 0.5) {
    return {
      kind: 'line',
      from: [rng.uniform(0, size), rng.uniform(0, size)],
      to: [rng.uniform(0, size), rng.uniform(0, size)],
      width: rng.uniform(1, Math.max(1.5, size / 60)),
      colour,
    };
  }
  const radius = (logUniform(rng, options.scale[0], options.scale[1]) * size) / 2;
  // k >= 3 and a clear wobble, so that a blob never passes for a circle or an ellipse
  const waves = Array.from({ length: 3 }, () => ({ k: 3 + rng.int(4), amplitude: rng.uniform(0.1, 0.22), phase: rng.uniform(0, 2 * Math.PI) }));
  return { kind: 'blob', cx: rng.uniform(0, size), cy: rng.uniform(0, size), radius, waves, colour };
}

function planShape(options: PlanOptions, rng: Rng): ShapeSpec {
  const size = options.imageSize;
  if (options.classes.length === 0) throw new Error('planScene needs at least one class');
  const kind = options.classes[rng.int(options.classes.length)] as ShapeKind;
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

function place(rng: Rng, low: number, high: number, size: number): number {
  const u = rng.next();
  return low <= high ? low + u * (high - low) : size / 2;
}
