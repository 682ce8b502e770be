import { SeededRng } from '@yolo-distill/core';
import type { Canvas } from './canvas.js';
import type { Rgb } from './colour.js';

/**
 * A background texture. Gradient and stripes run along `angle` (radians); stripes repeat every
 * `period` pixels as a sinusoid between the two colours; noise is smooth value noise on a grid of
 * `cell` pixels, drawn from `seed`.
 */
export type BackgroundSpec =
  | { readonly kind: 'solid'; readonly colour: Rgb }
  | { readonly kind: 'gradient'; readonly from: Rgb; readonly to: Rgb; readonly angle: number }
  | { readonly kind: 'stripes'; readonly from: Rgb; readonly to: Rgb; readonly angle: number; readonly period: number }
  | { readonly kind: 'noise'; readonly from: Rgb; readonly to: Rgb; readonly cell: number; readonly seed: number };

/** Fills the whole canvas with the background; pixel values are taken at pixel centres. */
export function paintBackground(canvas: Canvas, spec: BackgroundSpec): void {
  switch (spec.kind) {
    case 'solid':
      canvas.paintMix(spec.colour, spec.colour, () => 0);
      return;
    case 'gradient': {
      const { width, height } = canvas;
      const cos = Math.cos(spec.angle);
      const sin = Math.sin(spec.angle);
      // projections of the corners onto the direction give the range that maps to 0..1
      const reach = (Math.abs(cos) * width + Math.abs(sin) * height) / 2;
      canvas.paintMix(spec.from, spec.to, (x, y) => 0.5 + ((x + 0.5 - width / 2) * cos + (y + 0.5 - height / 2) * sin) / (2 * reach));
      return;
    }
    case 'stripes': {
      const cos = Math.cos(spec.angle);
      const sin = Math.sin(spec.angle);
      const frequency = (2 * Math.PI) / spec.period;
      canvas.paintMix(spec.from, spec.to, (x, y) => 0.5 + 0.5 * Math.sin(((x + 0.5) * cos + (y + 0.5) * sin) * frequency));
      return;
    }
    case 'noise': {
      const field = valueNoise(canvas.width, canvas.height, spec.cell, spec.seed);
      canvas.paintMix(spec.from, spec.to, (x, y) => field[y * canvas.width + x] as number);
      return;
    }
  }
}

/** Smooth value noise 0..1 per pixel: random values on a grid of `cell` pixels, smoothstep-interpolated. */
export function valueNoise(width: number, height: number, cell: number, seed: number): Float32Array {
  const rng = new SeededRng(seed);
  const columns = Math.ceil(width / cell) + 2;
  const rows = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: columns * rows }, () => rng.next());
  const smooth = (t: number): number => t * t * (3 - 2 * t);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = (y + 0.5) / cell;
    const j = Math.floor(gy);
    const ty = smooth(gy - j);
    for (let x = 0; x < width; x++) {
      const gx = (x + 0.5) / cell;
      const i = Math.floor(gx);
      const tx = smooth(gx - i);
      const v = (col: number, row: number): number => grid[row * columns + col] as number;
      const top = v(i, j) + (v(i + 1, j) - v(i, j)) * tx;
      const bottom = v(i, j + 1) + (v(i + 1, j + 1) - v(i, j + 1)) * tx;
      out[y * width + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}
