import { SeededRng } from '@yolo-distill/core';
import { paintBackground, type BackgroundSpec } from './background.js';
import { Canvas } from './canvas.js';
import { clutterRegion, type ClutterSpec } from './clutter.js';
import type { Box } from './geometry.js';
import type { FillStyle } from './fill-styles.js';
import type { ShapeForm } from './shape-kinds.js';
import { shapePaint } from './shape-paint.js';
import { shapeRegion, type ShapeSpec } from './shape-region.js';

/**
 * Everything one image is made of, in drawing order: background, clutter (unlabelled, under the
 * shapes), shapes (later ones over earlier ones), then grain (per-pixel noise of `amplitude` 0..255
 * levels, drawn from `seed`). Rendering a spec uses no other randomness.
 */
export interface SceneSpec {
  readonly width: number;
  readonly height: number;
  readonly background: BackgroundSpec;
  readonly clutter: readonly ClutterSpec[];
  readonly shapes: readonly ShapeSpec[];
  readonly grain: { readonly amplitude: number; readonly seed: number };
}

/**
 * A shape as drawn: its box (the geometric shape's exact bounds, clipped to the image), the pixels
 * it paints at least half (`area`) and those where it is still on top after later shapes (`visible`).
 * An outline's inside is not its own: what shows through there keeps its owner. `fill` and `decoy`
 * are there only for shapes that had them (fine variant).
 */
export interface DrawnShape {
  readonly kind: ShapeForm;
  readonly fill?: FillStyle;
  readonly decoy?: true;
  readonly box: Box;
  readonly area: number;
  readonly visible: number;
}

export interface RenderedScene {
  readonly width: number;
  readonly height: number;
  /** 8-bit RGB, HWC. */
  readonly pixels: Uint8Array;
  readonly shapes: readonly DrawnShape[];
}

export function renderScene(scene: SceneSpec): RenderedScene {
  const canvas = new Canvas(scene.width, scene.height);
  paintBackground(canvas, scene.background);
  for (const clutter of scene.clutter) canvas.fill(clutterRegion(clutter), clutter.colour);
  const drawn = scene.shapes.map((shape, index) => {
    const region = shapeRegion(shape);
    // a shape without a fill is drawn as the classic variant always drew it
    const area = shape.fill === undefined ? canvas.fill(region, shape.colour, index) : canvas.paint(shapePaint(shape), index);
    const identity = { kind: shape.kind, ...(shape.fill ? { fill: shape.fill.style } : {}), ...(shape.decoy ? { decoy: true as const } : {}) };
    return { ...identity, box: clipBox(region.bounds, scene.width, scene.height), area };
  });
  const visible = canvas.ownerCounts(scene.shapes.length);
  if (scene.grain.amplitude > 0) {
    // triangular noise (sum of two uniforms) scaled to unit variance: close to Gaussian grain, far cheaper
    const rng = new SeededRng(scene.grain.seed);
    canvas.addNoise(scene.grain.amplitude, () => (rng.next() + rng.next() - 1) * Math.sqrt(6));
  }
  return {
    width: scene.width,
    height: scene.height,
    pixels: canvas.toRgb8(),
    shapes: drawn.map((shape, index) => ({ ...shape, visible: visible[index] as number })),
  };
}

function clipBox(box: Box, width: number, height: number): Box {
  const clamp = (v: number, hi: number): number => Math.min(hi, Math.max(0, v));
  return { x0: clamp(box.x0, width), y0: clamp(box.y0, height), x1: clamp(box.x1, width), y1: clamp(box.y1, height) };
}
