import { parseWith, type Augmentation, type ImageTensorData, type LabelRows, type PluginDescriptor, type Sample } from '@yolo-distill/core';
import { z } from 'zod';
import { checkImage } from './geometry/warp-affine.js';
import { probability } from './probability.js';

export type FlipDirection = 'horizontal' | 'vertical';

export interface FlipConfig {
  readonly p: number;
  readonly direction: FlipDirection;
}

/**
 * Ultralytics' `fliplr: 0.5`. Its `flipud: 0.0` is "no vertical flip": list a second
 * `{ type: augment.Flip, direction: vertical, p: ... }` to have one.
 */
export const FLIP_DEFAULTS: FlipConfig = { p: 0.5, direction: 'horizontal' };

const flipSchema = z.strictObject({
  p: probability(FLIP_DEFAULTS.p),
  direction: z.enum(['horizontal', 'vertical']).default(FLIP_DEFAULTS.direction),
});

/** The image mirrored left-right (`horizontal`) or top-bottom (`vertical`). */
export function flipImage(image: ImageTensorData, direction: FlipDirection): ImageTensorData {
  const { data, width, height } = image;
  const out = new Float32Array(data.length);
  const stride = width * 3;
  if (direction === 'vertical') {
    for (let y = 0; y < height; y++) out.set(data.subarray(y * stride, (y + 1) * stride), (height - 1 - y) * stride);
    return { data: out, width, height };
  }
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const from = row + x * 3;
      const to = row + (width - 1 - x) * 3;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
    }
  }
  return { data: out, width, height };
}

/** Labels of the mirrored image: `cx -> 1 - cx` (horizontal) or `cy -> 1 - cy` (vertical); sizes unchanged. */
export function flipLabels(labels: LabelRows, direction: FlipDirection): LabelRows {
  const rows = labels.rows.slice(0, labels.count * 5);
  const axis = direction === 'horizontal' ? 1 : 2;
  for (let i = 0; i < labels.count; i++) rows[i * 5 + axis] = 1 - rows[i * 5 + axis];
  return { rows, count: labels.count };
}

/**
 * `augment.Flip`: Ultralytics' `RandomFlip`. Boxes stay inside the image, so none is clipped or
 * dropped. (Keypoint flip indices do not apply: labels here are boxes.)
 */
export class Flip implements Augmentation {
  readonly name = 'augment.Flip';

  constructor(private readonly config: FlipConfig = FLIP_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  async apply(sample: Sample): Promise<Sample> {
    checkImage(sample.image, sample.source);
    return { ...sample, image: flipImage(sample.image, this.config.direction), labels: flipLabels(sample.labels, this.config.direction) };
  }
}

export const flipAugmentation: PluginDescriptor<FlipConfig, Augmentation> = {
  type: 'augment.Flip',
  kind: 'augmentation',
  summary: 'mirror left-right (default, p 0.5) or top-bottom; labels mirrored',
  schema: flipSchema,
  parse: (raw, at) => parseWith(flipSchema, raw, at),
  create: (config) => new Flip(config),
};
