import { parseWith, type Augmentation, type AugmentContext, type ImageTensorData, type LabelRows, type PluginDescriptor, type Sample } from '@yolo-distill/core';
import { z } from 'zod';
import { checkImage } from './geometry/warp-affine.js';
import { probability } from './probability.js';

export interface MixUpConfig {
  readonly p: number;
  /** The ratio is drawn from Beta(alpha, alpha). */
  readonly alpha: number;
}

/**
 * Ultralytics draws the ratio from Beta(32, 32) (mean 0.5, sd 0.06). Its `mixup` defaults to 0 (off),
 * YOLOv5's hyp.scratch-med/high use 0.1: the `p` here when MixUp is listed without one.
 */
export const MIX_UP_DEFAULTS: MixUpConfig = { p: 0.1, alpha: 32 };

const mixUpSchema = z.strictObject({
  p: probability(MIX_UP_DEFAULTS.p),
  alpha: z.number().positive().default(MIX_UP_DEFAULTS.alpha),
});

/** `ratio · a + (1 - ratio) · b`, pixel by pixel; both images of one size. */
export function blendImages(a: ImageTensorData, b: ImageTensorData, ratio: number): ImageTensorData {
  const out = new Float32Array(a.data.length);
  const x = a.data;
  const y = b.data;
  const rest = 1 - ratio;
  for (let i = 0; i < out.length; i++) out[i] = x[i] * ratio + y[i] * rest;
  return { data: out, width: a.width, height: a.height };
}

export function concatLabels(a: LabelRows, b: LabelRows): LabelRows {
  const rows = new Float32Array((a.count + b.count) * 5);
  rows.set(a.rows.subarray(0, a.count * 5));
  rows.set(b.rows.subarray(0, b.count * 5), a.count * 5);
  return { rows, count: a.count + b.count };
}

/**
 * `augment.MixUp`: Ultralytics' MixUp. One more sample is drawn (`drawSample()`, before the ratio), the
 * images are blended `r·sample + (1 - r)·other` with `r ~ Beta(alpha, alpha)`, and the labels of both
 * are kept, the sample's first. Ultralytics' partner went through its Mosaic/affine pre-transform;
 * here it is the dataset's sample as loaded, which must have the sample's size.
 */
export class MixUp implements Augmentation {
  readonly name = 'augment.MixUp';

  constructor(private readonly config: MixUpConfig = MIX_UP_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  async apply(sample: Sample, { rng, drawSample }: AugmentContext): Promise<Sample> {
    const other = await drawSample();
    checkImage(sample.image, sample.source);
    checkImage(other.image, other.source);
    if (other.image.width !== sample.image.width || other.image.height !== sample.image.height) {
      throw new Error(
        `augment.MixUp: ${sample.source} is ${sample.image.width}x${sample.image.height} but ${other.source} is ` +
          `${other.image.width}x${other.image.height}; MixUp needs samples of one size (letterbox them first)`,
      );
    }
    const ratio = rng.beta(this.config.alpha, this.config.alpha);
    return { ...sample, image: blendImages(sample.image, other.image, ratio), labels: concatLabels(sample.labels, other.labels) };
  }
}

export const mixUpAugmentation: PluginDescriptor<MixUpConfig, Augmentation> = {
  type: 'augment.MixUp',
  kind: 'augmentation',
  summary: 'blend with another sample, ratio ~ Beta(alpha, alpha) (Ultralytics MixUp, alpha 32); labels of both kept',
  schema: mixUpSchema,
  parse: (raw, at) => parseWith(mixUpSchema, raw, at),
  create: (config) => new MixUp(config),
};
