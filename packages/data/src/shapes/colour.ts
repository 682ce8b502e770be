import type { Rng } from '@yolo-distill/core';

/** An RGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/** HSV (hue in turns 0..1, saturation and value 0..1) to RGB 0..255, rounded to integers. */
export function hsvToRgb(hue: number, saturation: number, value: number): Rgb {
  const h = (((hue % 1) + 1) % 1) * 6;
  const sector = Math.floor(h);
  const f = h - sector;
  const p = value * (1 - saturation);
  const q = value * (1 - saturation * f);
  const t = value * (1 - saturation * (1 - f));
  const table: readonly (readonly [number, number, number])[] = [
    [value, t, p],
    [q, value, p],
    [p, value, t],
    [p, q, value],
    [t, p, value],
    [value, p, q],
  ];
  const [r, g, b] = table[sector % 6] as readonly [number, number, number];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/** A colour with hue anywhere and saturation/value in the given ranges. */
export function randomColour(rng: Rng, saturation: readonly [number, number], value: readonly [number, number]): Rgb {
  return hsvToRgb(rng.next(), rng.uniform(saturation[0], saturation[1]), rng.uniform(value[0], value[1]));
}

/** Vivid colours for labelled shapes; colour says nothing about the class. */
export const objectColour = (rng: Rng): Rgb => randomColour(rng, [0.55, 1], [0.6, 1]);
/** Dull colours for backgrounds, so shapes stand out against most of them. */
export const backgroundColour = (rng: Rng): Rgb => randomColour(rng, [0, 0.35], [0.2, 0.8]);
/** In-between colours for unlabelled clutter. */
export const clutterColour = (rng: Rng): Rgb => randomColour(rng, [0.15, 0.8], [0.3, 0.95]);

/** The hue (turns 0..1) of an RGB colour; 0 for greys. */
export function hueOf(colour: Rgb): number {
  const [r, g, b] = colour;
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return 0;
  const sector = max === r ? ((g - b) / delta + 6) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return sector / 6;
}

/** A vivid colour whose hue is 0.3-0.7 turns away from `colour`'s: the second colour of a two-tone shape. */
export const contrastingColour = (rng: Rng, colour: Rgb): Rgb => hsvToRgb(hueOf(colour) + rng.uniform(0.3, 0.7), rng.uniform(0.55, 1), rng.uniform(0.6, 1));
