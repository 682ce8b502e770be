import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type FeatureAugmentation, type FeatureMaps, type FeatureMix, type PluginDescriptor, type Rng, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { probability } from './probability.js';

export interface FeatureCutMixConfig {
  readonly p: number;
  /** The tap where teacher and student maps are mixed, inside both forward passes. */
  readonly at: string;
  /** The kept fraction λ is drawn from Beta(alpha, alpha); 1 makes the cut area uniform in 0..1. */
  readonly alpha: number;
}

export const FEATURE_CUT_MIX_DEFAULTS: FeatureCutMixConfig = { p: 0.3, at: 'neck.0', alpha: 1 };

const featureCutMixSchema = z.strictObject({
  p: probability(FEATURE_CUT_MIX_DEFAULTS.p),
  at: z.string().min(1).default(FEATURE_CUT_MIX_DEFAULTS.at),
  alpha: z.number().positive().default(FEATURE_CUT_MIX_DEFAULTS.alpha),
});

/** A box in relative map coordinates, `0 <= x1 <= x2 <= 1` (likewise y). */
export interface RelativeBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * The cut box of CutMix (Yun et al. 2019): `λ ~ Beta(alpha, alpha)`, side ratio `r = sqrt(1 - λ)`,
 * centre `(cx, cy) ~ U(0, 1)²` (drawn in that order after λ), box `[cx ± r/2] x [cy ± r/2]` clipped to
 * the map, so boxes near an edge cut less than `1 - λ`.
 */
export function drawCutBox(rng: Rng, alpha: number): RelativeBox {
  const lambda = rng.beta(alpha, alpha);
  const r = Math.sqrt(1 - lambda);
  const cx = rng.next();
  const cy = rng.next();
  const clip = (v: number) => Math.min(Math.max(v, 0), 1);
  return { x1: clip(cx - r / 2), y1: clip(cy - r / 2), x2: clip(cx + r / 2), y2: clip(cy + r / 2) };
}

/** Cells of an `height x width` map inside the box: edges snapped to the nearest grid line (`Math.round`). */
export function boxCells(box: RelativeBox, height: number, width: number): { rows: [number, number]; cols: [number, number] } {
  return { rows: [Math.round(box.y1 * height), Math.round(box.y2 * height)], cols: [Math.round(box.x1 * width), Math.round(box.x2 * width)] };
}

/** A `[1, H, W, 1]` mask: 1 on the cells of rows/cols `[from, to)`, 0 elsewhere. */
function cellMask(rows: readonly [number, number], cols: readonly [number, number], height: number, width: number): tf.Tensor4D {
  const mask = new Float32Array(height * width);
  for (let y = rows[0]; y < rows[1]; y++) mask.fill(1, y * width + cols[0], y * width + cols[1]);
  return tf.tensor4d(mask, [1, height, width, 1]);
}

/**
 * Each sample's maps take the box's cells from sample `partners[n]`:
 * `x·(1 - m) + pad(gather(slice(x, box), partners))`, exact copies inside and outside the box. Built
 * from differentiable ops, so gradients reach both the sample and its partner. New tensors (a clone
 * where the box covers no cell of a map); the inputs are not disposed.
 */
export function cutMixMaps(maps: FeatureMaps, box: RelativeBox, partners: readonly number[]): Record<string, Tensor4D> {
  return tf.tidy(() => {
    const index = tf.tensor1d(partners as number[], 'int32');
    const out: Record<string, Tensor4D> = {};
    for (const [name, map] of Object.entries(maps)) {
      const [n, height, width, channels] = map.shape;
      const { rows, cols } = boxCells(box, height, width);
      if (rows[1] <= rows[0] || cols[1] <= cols[0]) {
        out[name] = tf.clone(map);
        continue;
      }
      // Only the box region is gathered (gathering whole maps along the batch is the slow part on wasm and cpu).
      const region = tf.slice(map, [0, rows[0], cols[0], 0], [n, rows[1] - rows[0], cols[1] - cols[0], channels]);
      const partner = tf.pad(tf.gather(region, index, 0), [
        [0, 0],
        [rows[0], height - rows[1]],
        [cols[0], width - cols[1]],
        [0, 0],
      ]);
      out[name] = tf.add(tf.mul(map, tf.sub(1, cellMask(rows, cols, height, width))), partner);
    }
    return out;
  });
}

/**
 * `augment.FeatureCutMix`: CutMix on feature maps inside the forward pass. With probability `p` (one
 * `rng.next()` per batch) it draws one box (`drawCutBox`) and a partner for every sample (`rng.shuffle`
 * of 0..N-1, a sample may draw itself); the map at tap `at` of teacher and student alike takes the
 * box's cells from its partner, and both networks run on from the mixed map, so later taps and the
 * head see it too.
 */
export class FeatureCutMix implements FeatureAugmentation {
  readonly name = 'augment.FeatureCutMix';

  constructor(private readonly config: FeatureCutMixConfig = FEATURE_CUT_MIX_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  get at(): string {
    return this.config.at;
  }

  draw(batchSize: number, rng: Rng): FeatureMix | undefined {
    if (batchSize < 1 || rng.next() >= this.config.p) return undefined;
    const box = drawCutBox(rng, this.config.alpha);
    const partners = rng.shuffle(Array.from({ length: batchSize }, (_, i) => i));
    return {
      at: this.config.at,
      apply: (map) => {
        if (map.rank !== 4 || map.shape[0] !== batchSize) throw new Error(`${this.name}: the map at '${this.config.at}' is [${map.shape.join(', ')}], expected NHWC with batch ${batchSize}`);
        return cutMixMaps({ map }, box, partners)['map'] as Tensor4D;
      },
    };
  }
}

export const featureCutMixAugmentation: PluginDescriptor<FeatureCutMixConfig, FeatureAugmentation> = {
  type: 'augment.FeatureCutMix',
  kind: 'featureAugmentation',
  summary: 'CutMix on feature maps inside the forward pass at a tap: one random box and partner permutation, the same for teacher and student',
  schema: featureCutMixSchema,
  parse: (raw, at) => parseWith(featureCutMixSchema, raw, at),
  create: (config) => new FeatureCutMix(config),
};
