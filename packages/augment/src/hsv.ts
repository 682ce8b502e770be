import { parseWith, type Augmentation, type AugmentContext, type ImageTensorData, type PluginDescriptor, type Sample } from '@yolo-distill/core';
import { z } from 'zod';
import { checkImage } from './geometry/warp-affine.js';
import { probability } from './probability.js';

export interface HsvConfig {
  readonly p: number;
  /** Hue shift drawn from ±hgain of the full colour circle. */
  readonly hgain: number;
  /** Saturation factor drawn from 1 ± sgain. */
  readonly sgain: number;
  /** Value (brightness) factor drawn from 1 ± vgain. */
  readonly vgain: number;
}

/** Ultralytics' `hsv_h: 0.015, hsv_s: 0.7, hsv_v: 0.4`; it always applies RandomHSV (p 1). */
export const HSV_DEFAULTS: HsvConfig = { p: 1, hgain: 0.015, sgain: 0.7, vgain: 0.4 };

const hsvSchema = z.strictObject({
  p: probability(HSV_DEFAULTS.p),
  hgain: z.number().min(0).max(1).default(HSV_DEFAULTS.hgain),
  sgain: z.number().min(0).default(HSV_DEFAULTS.sgain),
  vgain: z.number().min(0).default(HSV_DEFAULTS.vgain),
});

/** The shifts of one application: hue added (fraction of the circle), saturation and value multiplied. */
export interface HsvShift {
  readonly hue: number;
  readonly saturation: number;
  readonly value: number;
}

/**
 * Shifts every pixel in HSV: `h = (h + hue) mod 1`, `s = clamp(s·saturation)`, `v = clamp(v·value)`,
 * then back to RGB (clamped to 0..1 as Ultralytics clips its tables to 0..255). Hue is a full circle here (OpenCV's 0..180 scaled to 0..1), values stay 0..1.
 */
export function shiftHsv(image: ImageTensorData, shift: HsvShift): ImageTensorData {
  const src = image.data;
  const out = new Float32Array(src.length);
  const { hue, saturation, value } = shift;
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i];
    const g = src[i + 1];
    const b = src[i + 2];
    let max = r;
    let min = r;
    if (g > max) max = g;
    else if (g < min) min = g;
    if (b > max) max = b;
    else if (b < min) min = b;
    const delta = max - min;
    let h = 0;
    if (delta > 0) {
      if (max === r) h = (g - b) / delta;
      else if (max === g) h = 2 + (b - r) / delta;
      else h = 4 + (r - g) / delta;
      h /= 6;
    }
    h += hue;
    h -= Math.floor(h);
    const s = max > 0 ? Math.min(Math.max((delta / max) * saturation, 0), 1) : 0;
    const v = Math.min(Math.max(max * value, 0), 1);
    // HSV -> RGB: sector k of six, position f inside it.
    const h6 = h * 6;
    const k = Math.floor(h6);
    const f = h6 - k;
    const p = v * (1 - s);
    const q = v * (1 - s * f);
    const t = v * (1 - s * (1 - f));
    switch (k % 6) {
      case 0:
        out[i] = v;
        out[i + 1] = t;
        out[i + 2] = p;
        break;
      case 1:
        out[i] = q;
        out[i + 1] = v;
        out[i + 2] = p;
        break;
      case 2:
        out[i] = p;
        out[i + 1] = v;
        out[i + 2] = t;
        break;
      case 3:
        out[i] = p;
        out[i + 1] = q;
        out[i + 2] = v;
        break;
      case 4:
        out[i] = t;
        out[i + 1] = p;
        out[i + 2] = v;
        break;
      default:
        out[i] = v;
        out[i + 1] = p;
        out[i + 2] = q;
    }
  }
  return { data: out, width: image.width, height: image.height };
}

/**
 * `augment.HSV`: Ultralytics' `RandomHSV`. Three gains `r = U(-1, 1)·(hgain, sgain, vgain)` are drawn
 * in that order; hue shifts by `r0` of the circle (additive, as Ultralytics >= 8.3.79; YOLOv5 and older
 * v8 multiplied the hue), saturation and value scale by `1 + r1`, `1 + r2`, clamped to 1. Labels unchanged.
 * Ultralytics works on uint8 lookup tables; this works on floats, so results differ by its rounding.
 */
export class Hsv implements Augmentation {
  readonly name = 'augment.HSV';

  constructor(private readonly config: HsvConfig = HSV_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  async apply(sample: Sample, { rng }: AugmentContext): Promise<Sample> {
    checkImage(sample.image, sample.source);
    const hue = rng.uniform(-1, 1) * this.config.hgain;
    const saturation = 1 + rng.uniform(-1, 1) * this.config.sgain;
    const value = 1 + rng.uniform(-1, 1) * this.config.vgain;
    return { ...sample, image: shiftHsv(sample.image, { hue, saturation, value }) };
  }
}

export const hsvAugmentation: PluginDescriptor<HsvConfig, Augmentation> = {
  type: 'augment.HSV',
  kind: 'augmentation',
  summary: 'random hue, saturation and value gains (Ultralytics RandomHSV); labels unchanged',
  schema: hsvSchema,
  parse: (raw, at) => parseWith(hsvSchema, raw, at),
  create: (config) => new Hsv(config),
};
