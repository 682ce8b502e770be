import type { Rgb } from './colour.js';
import { polygonRegion, type Point, type Region } from './geometry.js';

/** One wave of a blob's outline: radius factor `1 + amplitude * sin(k * theta + phase)`. */
export interface BlobWave {
  readonly k: number;
  readonly amplitude: number;
  readonly phase: number;
}

/** Unlabelled distractors drawn under the shapes: straight strokes and wobbly blobs. */
export type ClutterSpec =
  | { readonly kind: 'line'; readonly from: Point; readonly to: Point; readonly width: number; readonly colour: Rgb }
  | { readonly kind: 'blob'; readonly cx: number; readonly cy: number; readonly radius: number; readonly waves: readonly BlobWave[]; readonly colour: Rgb };

const BLOB_POINTS = 40;

export function clutterRegion(clutter: ClutterSpec): Region {
  if (clutter.kind === 'line') {
    const [x0, y0] = clutter.from;
    const [x1, y1] = clutter.to;
    const length = Math.hypot(x1 - x0, y1 - y0) || 1;
    // half the width along the normal of the stroke
    const nx = (-(y1 - y0) / length) * (clutter.width / 2);
    const ny = ((x1 - x0) / length) * (clutter.width / 2);
    return polygonRegion([
      [x0 + nx, y0 + ny],
      [x1 + nx, y1 + ny],
      [x1 - nx, y1 - ny],
      [x0 - nx, y0 - ny],
    ]);
  }
  const points: Point[] = [];
  for (let i = 0; i < BLOB_POINTS; i++) {
    const theta = (2 * Math.PI * i) / BLOB_POINTS;
    const factor = clutter.waves.reduce((sum, wave) => sum + wave.amplitude * Math.sin(wave.k * theta + wave.phase), 1);
    const r = clutter.radius * Math.max(0.2, factor);
    points.push([clutter.cx + r * Math.cos(theta), clutter.cy + r * Math.sin(theta)]);
  }
  return polygonRegion(points);
}
