import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type FeatureAugmentation, type FeatureMaps, type PluginDescriptor, type Rng, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { probability } from './probability.js';

export interface FeatureCutMixConfig {
  readonly p: number;
  /** The kept fraction λ is drawn from Beta(alpha, alpha); 1 makes the cut area uniform in 0..1. */
  readonly alpha: number;
}

export const FEATURE_CUT_MIX_DEFAULTS: FeatureCutMixConfig = { p: 0.3, alpha: 1 };

const featureCutMixSchema = z.strictObject({
  p: probability(FEATURE_CUT_MIX_DEFAULTS.p),
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

function batchSize(student: FeatureMaps, teacher: FeatureMaps): number {
  const sizes = [...Object.entries(student).map(([name, map]) => ['student', name, map] as const), ...Object.entries(teacher).map(([name, map]) => ['teacher', name, map] as const)];
  const first = sizes[0];
  if (!first) return 0;
  for (const [side, name, map] of sizes) {
    if (map.rank !== 4) throw new Error(`augment.FeatureCutMix: ${side} map '${name}' has shape [${map.shape.join(', ')}], expected NHWC`);
    if (map.shape[0] !== first[2].shape[0]) {
      throw new Error(`augment.FeatureCutMix: ${side} map '${name}' has batch ${map.shape[0]}, ${first[0]} map '${first[1]}' has ${first[2].shape[0]}`);
    }
  }
  return first[2].shape[0];
}

/**
 * `augment.FeatureCutMix`: CutMix on feature maps. With probability `p` (one `rng.next()` per batch)
 * it draws one box (`drawCutBox`) and a partner for every sample (`rng.shuffle` of 0..N-1, a sample
 * may draw itself), and applies the same relative box, scaled to each map's grid, to every student
 * and teacher map. Otherwise it returns the inputs themselves.
 */
export class FeatureCutMix implements FeatureAugmentation {
  readonly name = 'augment.FeatureCutMix';

  constructor(private readonly config: FeatureCutMixConfig = FEATURE_CUT_MIX_DEFAULTS) {}

  get probability(): number {
    return this.config.p;
  }

  apply(student: FeatureMaps, teacher: FeatureMaps, rng: Rng): { student: FeatureMaps; teacher: FeatureMaps } {
    const n = batchSize(student, teacher);
    if (n === 0 || rng.next() >= this.config.p) return { student, teacher };
    const box = drawCutBox(rng, this.config.alpha);
    const partners = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    return { student: cutMixMaps(student, box, partners), teacher: cutMixMaps(teacher, box, partners) };
  }
}

export const featureCutMixAugmentation: PluginDescriptor<FeatureCutMixConfig, FeatureAugmentation> = {
  type: 'augment.FeatureCutMix',
  kind: 'featureAugmentation',
  summary: 'CutMix on feature maps: one random box and partner permutation, the same for every student and teacher tap',
  parse: (raw, at) => parseWith(featureCutMixSchema, raw, at),
  create: (config) => new FeatureCutMix(config),
};
