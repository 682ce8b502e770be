import type { Rng } from '@yolo-distill/core';
import type { BackgroundSpec } from './background.js';
import type { ClutterSpec } from './clutter.js';
import { backgroundColour, clutterColour } from './colour.js';
import type { ShapesOptions } from './shapes-options.js';

/**
 * The random draws both variants' scene plans share. Each function takes its draws from `rng` in a
 * fixed order: changing that order changes every classic dataset.
 */

/** An integer in [low, high], inclusive. */
export const intBetween = (rng: Rng, low: number, high: number): number => low + rng.int(high - low + 1);
export const logUniform = (rng: Rng, low: number, high: number): number => Math.exp(rng.uniform(Math.log(low), Math.log(high)));

export function planBackground(size: number, rng: Rng): BackgroundSpec {
  const kind = rng.int(3);
  const from = backgroundColour(rng);
  const to = backgroundColour(rng);
  const angle = rng.uniform(0, Math.PI);
  if (kind === 0) return { kind: 'gradient', from, to, angle };
  if (kind === 1) return { kind: 'stripes', from, to, angle, period: rng.uniform(0.03, 0.2) * size };
  return { kind: 'noise', from, to, cell: rng.uniform(0.05, 0.3) * size, seed: rng.int(0x7fffffff) };
}

export function planClutter(options: Pick<ShapesOptions, 'imageSize' | 'scale'>, rng: Rng): ClutterSpec {
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

/** A centre coordinate in [low, high] (where the shape stays inside the image), or the image's middle when the shape is larger. */
export function place(rng: Rng, low: number, high: number, size: number): number {
  const u = rng.next();
  return low <= high ? low + u * (high - low) : size / 2;
}
