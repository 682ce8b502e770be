import type { Rgb } from './colour.js';
import type { Box, Region } from './geometry.js';

/** What `Canvas.paint` draws: a box and the colour at a point, `undefined` where nothing is painted. */
export interface Paint {
  readonly bounds: Box;
  inkAt(x: number, y: number): Rgb | undefined;
}

/** Sub-pixel sample offsets: 2 x 2 samples per pixel give 5 coverage levels (anti-aliasing). */
const SAMPLES = [0.25, 0.75] as const;
const SAMPLE_COUNT = SAMPLES.length * SAMPLES.length;

/**
 * An RGB drawing surface, channels as floats 0..255 in HWC order, with an owner map telling which
 * labelled shape is on top at each pixel (-1: none), to measure occlusion.
 */
export class Canvas {
  readonly pixels: Float32Array;
  readonly owner: Int32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`canvas size must be positive integers, got ${width} x ${height}`);
    }
    this.pixels = new Float32Array(width * height * 3);
    this.owner = new Int32Array(width * height).fill(-1);
  }

  /**
   * Paints `region` in `colour`, blending edge pixels by coverage. With `ownerId`, pixels covered at
   * least half become that owner's. Returns how many pixels were covered at least half.
   */
  fill(region: Region, colour: Rgb, ownerId?: number): number {
    const { x0, y0, x1, y1 } = region.bounds;
    const left = Math.max(0, Math.floor(x0));
    const top = Math.max(0, Math.floor(y0));
    const right = Math.min(this.width - 1, Math.ceil(x1) - 1);
    const bottom = Math.min(this.height - 1, Math.ceil(y1) - 1);
    const [r, g, b] = colour;
    let covered = 0;
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) {
        let hits = 0;
        for (const sy of SAMPLES) for (const sx of SAMPLES) if (region.contains(x + sx, y + sy)) hits++;
        if (hits === 0) continue;
        const alpha = hits / SAMPLE_COUNT;
        const pixel = y * this.width + x;
        const i = pixel * 3;
        const p = this.pixels;
        p[i] = (p[i] as number) * (1 - alpha) + r * alpha;
        p[i + 1] = (p[i + 1] as number) * (1 - alpha) + g * alpha;
        p[i + 2] = (p[i + 2] as number) * (1 - alpha) + b * alpha;
        if (alpha >= 0.5) {
          covered++;
          if (ownerId !== undefined) this.owner[pixel] = ownerId;
        }
      }
    }
    return covered;
  }

  /**
   * Paints `paint`, which may have several colours and holes: each pixel becomes the mean of its
   * painted samples' colours over what was there, weighted by their share. Ownership and the return
   * value as for `fill`: pixels with at least half their samples painted.
   */
  paint(paint: Paint, ownerId?: number): number {
    const { x0, y0, x1, y1 } = paint.bounds;
    const left = Math.max(0, Math.floor(x0));
    const top = Math.max(0, Math.floor(y0));
    const right = Math.min(this.width - 1, Math.ceil(x1) - 1);
    const bottom = Math.min(this.height - 1, Math.ceil(y1) - 1);
    const p = this.pixels;
    let covered = 0;
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) {
        let hits = 0;
        let r = 0;
        let g = 0;
        let b = 0;
        for (const sy of SAMPLES) {
          for (const sx of SAMPLES) {
            const ink = paint.inkAt(x + sx, y + sy);
            if (ink === undefined) continue;
            hits++;
            r += ink[0];
            g += ink[1];
            b += ink[2];
          }
        }
        if (hits === 0) continue;
        const keep = 1 - hits / SAMPLE_COUNT;
        const pixel = y * this.width + x;
        const i = pixel * 3;
        p[i] = (p[i] as number) * keep + r / SAMPLE_COUNT;
        p[i + 1] = (p[i + 1] as number) * keep + g / SAMPLE_COUNT;
        p[i + 2] = (p[i + 2] as number) * keep + b / SAMPLE_COUNT;
        if (hits * 2 >= SAMPLE_COUNT) {
          covered++;
          if (ownerId !== undefined) this.owner[pixel] = ownerId;
        }
      }
    }
    return covered;
  }

  /** Sets every pixel to `from` + (`to` - `from`) * t(x, y): every background is such a mix. */
  paintMix(from: Rgb, to: Rgb, t: (x: number, y: number) => number): void {
    const p = this.pixels;
    const [r, g, b] = from;
    const dr = to[0] - r;
    const dg = to[1] - g;
    const db = to[2] - b;
    for (let y = 0, i = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++, i += 3) {
        const k = t(x, y);
        p[i] = r + dr * k;
        p[i + 1] = g + dg * k;
        p[i + 2] = b + db * k;
      }
    }
  }

  /** For owners 0..owners-1, the number of pixels where each is on top. */
  ownerCounts(owners: number): number[] {
    const counts = new Array<number>(owners).fill(0);
    for (const owner of this.owner) if (owner >= 0 && owner < owners) counts[owner] = (counts[owner] as number) + 1;
    return counts;
  }

  /** Adds independent noise to every channel of every pixel: `amplitude * draw()` (sensor grain). */
  addNoise(amplitude: number, draw: () => number): void {
    if (amplitude === 0) return;
    for (let i = 0; i < this.pixels.length; i++) this.pixels[i] = (this.pixels[i] as number) + amplitude * draw();
  }

  /** The image as 8-bit RGB, rounded and clamped. */
  toRgb8(): Uint8Array {
    const out = new Uint8Array(this.pixels.length);
    for (let i = 0; i < this.pixels.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(this.pixels[i] as number)));
    return out;
  }
}
