import { z } from 'zod';
import { parseWith, type ConfigLocation, type DatasetSource, type Logger } from '@yolo-distill/core';
import { readLabelBoxes } from '../anchors/label-boxes.js';
import { readPredictedBoxes, type BoxPredictor } from '../anchors/predicted-boxes.js';
import { refitAnchors, type LevelAnchors } from '../anchors/refit-anchors.js';
import { isAnchorHead } from '../heads/head-spec.js';
import type { YoloModel } from '../model/yolo-model.js';

/** Settings of `anchors: refit` (all optional in YAML). */
export interface AnchorRefitConfig {
  /** Seeds k-means++ and the evolution; default: the model's `seed`. */
  readonly seed?: number;
  readonly iterations: number;
  readonly generations: number;
  /** Ultralytics' `anchor_t` for the best-possible-recall measure. */
  readonly thr: number;
  /** Read at most this many training images (evenly spaced); default all. */
  readonly images?: number;
  /**
   * What is clustered: the training labels' boxes (`labels`), or the confident boxes a model predicts
   * on the training images: the model itself with its loaded weights (`student`) or the pipeline's
   * teacher (`teacher`).
   */
  readonly from: 'labels' | 'student' | 'teacher';
  /** `from: student | teacher`: the score a predicted box needs (after NMS). */
  readonly conf: number;
}

/** The `anchors:` option of `<version>.Model`: refit to the pipeline's training labels, or given per level. */
export type AnchorsConfig = { readonly refit: AnchorRefitConfig } | { readonly fixed: LevelAnchors };

const refitSchema = z.strictObject({
  seed: z.int().min(0).optional(),
  iterations: z.int().positive().default(100),
  generations: z.int().min(0).default(1000),
  thr: z.number().gt(1).default(4),
  images: z.int().positive().optional(),
  from: z.enum(['labels', 'student', 'teacher']).default('labels'),
  conf: z.number().gt(0).lt(1).default(0.25),
});

const EXPECTED = `'refit', { refit: { seed, iterations, generations, thr, images, from, conf } } or anchors per level in pixels like [[10,13, 16,30, 33,23], [30,61, 62,45, 59,119]]`;

/** Parses `anchors: refit`, `anchors: { refit: {...} }` or `anchors: [[w,h, w,h, ...], ...]` (Ultralytics' YAML form). */
export function parseAnchorsOption(raw: unknown, at: ConfigLocation): AnchorsConfig {
  if (raw === 'refit') return { refit: parseWith(refitSchema, {}, at) };
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    const unknown = keys.find((key) => key !== 'refit');
    if (unknown !== undefined) throw at.child(unknown).error(`unknown key '${unknown}'; expected ${EXPECTED}`, 'key');
    if (keys.length === 0) throw at.error(`expected ${EXPECTED}, found an empty mapping`);
    const settings = (raw as { refit: unknown }).refit;
    return { refit: parseWith(refitSchema, settings ?? {}, at.child('refit')) };
  }
  if (Array.isArray(raw) && raw.length > 0) {
    return {
      fixed: raw.map((level, i) => {
        if (!Array.isArray(level) || level.length === 0 || level.length % 2 !== 0 || !level.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
          throw at.child(i).error(`anchors of level ${i} must be an even-length list of positive w, h pixel values, found ${JSON.stringify(level)}`);
        }
        return Array.from({ length: level.length / 2 }, (_, a) => [level[2 * a] as number, level[2 * a + 1] as number] as const);
      }),
    };
  }
  throw at.error(`expected ${EXPECTED}, found ${JSON.stringify(raw) ?? String(raw)}`);
}

export interface ChooseAnchorsInput {
  /** YAML type, for messages (`yolov5.Model`). */
  readonly type: string;
  readonly model: YoloModel;
  readonly config: AnchorsConfig | undefined;
  /** The model's `seed`, the refit's default seed. */
  readonly seed: number;
  /** Anchors a checkpoint given as `weights:` was saved with, and its path. */
  readonly checkpoint?: { readonly anchors: LevelAnchors; readonly path: string };
  readonly data?: DatasetSource;
  readonly logger?: Logger;
  /** `from: student | teacher`: the model whose confident predicted boxes are clustered. */
  readonly predictor?: BoxPredictor;
}

/**
 * The anchors the model should be built with, or undefined to keep the ones it has. Precedence:
 * anchors given in the config; else, with `refit`, the refit of the checkpoint's anchors (or the
 * YAML's) to the training labels, kept only if better; else the anchors a checkpoint was saved with.
 */
export async function chooseAnchors(input: ChooseAnchorsInput): Promise<LevelAnchors | undefined> {
  const { model, config, checkpoint, logger } = input;
  if (!isAnchorHead(model.head)) {
    if (!config) return undefined;
    throw new Error(`'anchors' needs an anchor-based head, but ${input.type} builds ${model.name} with an anchor-free (DFL) head: it has no anchors to ${'refit' in config ? 'refit' : 'set'}`);
  }
  const base = checkpoint?.anchors ?? model.head.anchors;
  let chosen: LevelAnchors;
  if (!config) {
    chosen = base;
    if (checkpoint && !sameAnchors(base, model.head.anchors)) logger?.info(`${model.name}: anchors from the checkpoint ${checkpoint.path}: ${formatAnchors(base)}`);
  } else if ('fixed' in config) {
    chosen = config.fixed;
    if (checkpoint && !sameAnchors(config.fixed, checkpoint.anchors)) {
      logger?.warn(`${model.name}: the checkpoint ${checkpoint.path} was saved with anchors ${formatAnchors(checkpoint.anchors)}; using the configured ${formatAnchors(config.fixed)}`);
    }
  } else {
    chosen = await refitToData(input, config.refit, base);
  }
  return sameAnchors(chosen, model.head.anchors) ? undefined : chosen;
}

async function refitToData(input: ChooseAnchorsInput, refit: AnchorRefitConfig, base: LevelAnchors): Promise<LevelAnchors> {
  const { model, data, logger } = input;
  if (!data) throw new Error(`'anchors: refit' needs the pipeline's data (a 'data:' section) to read the training labels from`);
  await data.prepare();
  const started = Date.now();
  const images = refit.images !== undefined ? { images: refit.images } : {};
  const predictor = input.predictor;
  if (refit.from !== 'labels' && !predictor) throw new Error(`'anchors: refit' from the ${refit.from}'s predictions needs ${refit.from === 'teacher' ? "the pipeline's teacher (a 'teacher:' section whose model can decode)" : 'the model'}`);
  const labels = refit.from === 'labels' || !predictor ? await readLabelBoxes(data, { split: 'train', ...images }) : await readPredictedBoxes(data, predictor, { split: 'train', conf: refit.conf, ...images });
  const what = refit.from === 'labels' ? 'label boxes' : `boxes the ${refit.from} predicts with a score above ${refit.conf}`;
  if (labels.boxes.length === 0) throw new Error(`'anchors: refit': no ${what} on the train split of ${data.name} (${labels.images} image(s) read)`);
  const result = refitAnchors(labels.boxes, base, {
    strides: model.head.strides,
    seed: refit.seed ?? input.seed,
    iterations: refit.iterations,
    generations: refit.generations,
    thr: refit.thr,
  });
  const { before, after } = result;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  logger?.info(
    `${model.name}: anchor fitness: bpr ${before.bpr.toFixed(4)} -> ${after.bpr.toFixed(4)}, mean best IoU ${before.meanBestIoU.toFixed(4)} -> ${after.meanBestIoU.toFixed(4)} ` +
      `(${before.boxes} ${what} from ${labels.images} ${data.name} train images, ${seconds}s)`,
  );
  if (result.replaced) logger?.info(`${model.name}: refit anchors ${formatAnchors(result.anchors)} (set them as 'anchors:' to skip the refit next time)`);
  else logger?.info(`${model.name}: kept the old anchors ${formatAnchors(base)}: the refitted ${formatAnchors(result.candidate)} are not better`);
  return result.anchors;
}

/** Anchors of a checkpoint's `meta.anchors` (written by `YoloModel.saveState`), or undefined if it has none. */
export function checkpointAnchors(meta: Readonly<Record<string, unknown>>, path: string): LevelAnchors | undefined {
  const raw = meta['anchors'];
  if (raw === undefined) return undefined;
  const pair = (value: unknown): value is [number, number] => Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && v > 0);
  if (!Array.isArray(raw) || !raw.every((level) => Array.isArray(level) && level.length > 0 && level.every(pair))) {
    throw new Error(`${path}: meta.anchors must list per level [w, h] pairs, found ${JSON.stringify(raw)}`);
  }
  return raw as LevelAnchors;
}

function sameAnchors(a: LevelAnchors, b: LevelAnchors): boolean {
  return a.length === b.length && a.every((level, i) => level.length === b[i]?.length && level.every(([w, h], k) => w === b[i]?.[k]?.[0] && h === b[i]?.[k]?.[1]));
}

/** Ultralytics' YAML form, two decimals: `[[10,13, 16,30, 33,23], ...]`. */
export function formatAnchors(anchors: LevelAnchors): string {
  const n = (v: number) => String(Math.round(v * 100) / 100);
  return `[${anchors.map((level) => `[${level.map(([w, h]) => `${n(w)},${n(h)}`).join(', ')}]`).join(', ')}]`;
}
