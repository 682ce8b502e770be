import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type ModelOutput, type PluginDescriptor, type Scalar } from '@yolo-distill/core';
import { stopGradient } from '@yolo-distill/yolo';
import { z } from 'zod';
import { linearWarmup, stepDecay } from '../schedules/schedules.js';
import { boxDistill, classBCE, classKL, dflDistill, objectnessFocal, positivesMask } from './terms.js';

const anchorPair = z.tuple([z.number().positive(), z.number().positive()]);

const decoupledHeadSchema = z.strictObject({
  weight: z.number().nonnegative().default(1),
  /** A number, or a step decay `{start, end, every, by}` over epochs. */
  temperature: z
    .union([z.number().positive(), z.strictObject({ start: z.number().positive(), end: z.number().positive(), every: z.number().int().positive(), by: z.number().nonnegative() })])
    .default(3),
  /** Linear warm-up of the whole loss over this many epochs (0: none). */
  warmup: z.number().int().nonnegative().default(0),
  cls: z.enum(['kl', 'bce']).default('kl'),
  box: z.enum(['ciou', 'giou']).default('ciou'),
  clsWeight: z.number().nonnegative().default(1),
  boxWeight: z.number().nonnegative().default(1),
  objWeight: z.number().nonnegative().default(1),
  objectness: z
    .strictObject({
      focal: z
        .strictObject({ gamma: z.number().nonnegative().default(2), alpha: z.number().min(0).max(1).default(0.25) })
        .prefault({}),
    })
    .prefault({}),
  dfl: z.strictObject({ weight: z.number().nonnegative().default(1), temperature: z.number().positive().default(1) }).prefault({}),
  positives: z
    .strictObject({ threshold: z.number().min(0).max(1).optional(), topk: z.number().int().positive().optional() })
    .prefault({}),
  head: z
    .strictObject({
      kind: z.enum(['anchor-based', 'anchor-free']).optional(),
      classes: z.number().int().positive().optional(),
      /** Anchor-based: per level, the anchors' [w, h] in grid cells (stride units). */
      anchors: z.array(z.array(anchorPair).min(1)).min(1).optional(),
      regMax: z.number().int().positive().default(16),
    })
    .prefault({}),
});

export type DecoupledHeadConfig = z.output<typeof decoupledHeadSchema>;

/** The config with its temperature resolved for one step. */
export type ResolvedHeadConfig = Omit<DecoupledHeadConfig, 'temperature'> & { readonly temperature: number };

/** How one level's raw channels split. */
export interface HeadLayout {
  readonly kind: 'anchor-based' | 'anchor-free';
  readonly classes: number;
  /** Anchors per cell (anchor-based). */
  readonly na: number;
  readonly regMax: number;
}

/**
 * The layout of a level with `channels` channels. `head.kind` and `head.classes` when given win;
 * otherwise: anchor-based needs C = na (5 + nc), anchor-free C = 4 regMax + nc. Without a kind, the
 * kind is inferred only from `head.classes` (whichever formula matches, na = anchors per level or 3);
 * without either, the error says to set `head.kind`.
 */
export function headLayout(cfg: DecoupledHeadConfig['head'], level: number, channels: number): HeadLayout {
  const na = cfg.anchors?.[level]?.length ?? cfg.anchors?.[0]?.length ?? 3;
  const regMax = cfg.regMax;
  let kind = cfg.kind;
  if (!kind) {
    if (cfg.classes === undefined) throw new Error('losses.DecoupledHead: set head.kind (anchor-based | anchor-free) or head.classes to split the head');
    if (channels === na * (5 + cfg.classes)) kind = 'anchor-based';
    else if (channels === 4 * regMax + cfg.classes) kind = 'anchor-free';
    else throw new Error(`losses.DecoupledHead: head level ${level} has ${channels} channels, neither ${na}*(5+${cfg.classes}) nor 4*${regMax}+${cfg.classes}`);
  }
  const classes = kind === 'anchor-based' ? channels / na - 5 : channels - 4 * regMax;
  if (!Number.isInteger(classes) || classes < 1 || (cfg.classes !== undefined && classes !== cfg.classes)) {
    throw new Error(`losses.DecoupledHead: head level ${level} has ${channels} channels, which does not fit a ${kind} head${cfg.classes === undefined ? '' : ` with ${cfg.classes} classes`}`);
  }
  return { kind, classes, na, regMax };
}

/** Anchor-based (v5) decode relative to the cell: xy = 2 sigmoid - 0.5, wh = (2 sigmoid)^2 * anchor; xywh. */
function decodeV5(xywh: tf.Tensor, anchors: tf.Tensor): tf.Tensor {
  const s = tf.sigmoid(xywh);
  const [xy, wh] = tf.split(s, 2, -1);
  return tf.concat([tf.sub(tf.mul(xy!, 2), 0.5), tf.mul(tf.square(tf.mul(wh!, 2)), anchors)], -1);
}

/** Anchor-free (v8) decode relative to the anchor point: distances = E[softmax(bins)], box (-l, -t, r, b). */
function decodeV8(bins: tf.Tensor, regMax: number): tf.Tensor {
  const distances = tf.sum(tf.mul(tf.softmax(bins), tf.range(0, regMax, 1, 'float32')), -1); // [N, 4]
  const [lt, rb] = tf.split(distances, 2, -1);
  return tf.concat([tf.neg(lt!), rb!], -1);
}

/** One level's loss (unweighted by `weight`). Student [B,H,W,C]; teacher the same shape. */
export function headLevelLoss(cfg: ResolvedHeadConfig, layout: HeadLayout, level: number, student: tf.Tensor, teacher: tf.Tensor): Scalar {
  return tf.tidy(() => {
    const t = stopGradient(teacher);
    const clsTerm = cfg.cls === 'kl' ? classKL : classBCE;
    const nc = layout.classes;
    if (layout.kind === 'anchor-based') {
      const rows = [-1, layout.na, 5 + nc];
      const s3 = tf.reshape(student, rows);
      const t3 = tf.reshape(t, rows);
      const part = (x: tf.Tensor, begin: number, size: number) => tf.slice(x, [0, 0, begin], [-1, -1, size]);
      const tObj = tf.squeeze(part(t3, 4, 1), [-1]);
      const conf = tf.mul(tf.sigmoid(tObj), tf.max(tf.sigmoid(part(t3, 5, nc)), -1)); // [N, na]
      const mask = positivesMask(conf, cfg.positives);
      const pairs = cfg.head.anchors?.[level] ?? Array.from({ length: layout.na }, () => [1, 1]);
      const anchors = tf.tensor2d(pairs.flat(), [layout.na, 2]);
      const cls = clsTerm(part(s3, 5, nc), part(t3, 5, nc), { temperature: cfg.temperature, weights: mask });
      const box = boxDistill(decodeV5(part(s3, 0, 4), anchors), decodeV5(part(t3, 0, 4), anchors), {
        kind: cfg.box,
        format: 'xywh',
        attention: tf.mul(conf, mask),
      });
      const obj = objectnessFocal(tf.squeeze(part(s3, 4, 1), [-1]), tObj, cfg.objectness.focal);
      return tf.addN([tf.mul(cls, cfg.clsWeight), tf.mul(box, cfg.boxWeight), tf.mul(obj, cfg.objWeight)]) as Scalar;
    }
    const channels = 4 * layout.regMax + nc;
    const s2 = tf.reshape(student, [-1, channels]);
    const t2 = tf.reshape(t, [-1, channels]);
    const bins = (x: tf.Tensor) => tf.reshape(tf.slice(x, [0, 0], [-1, 4 * layout.regMax]), [-1, 4, layout.regMax]);
    const logits = (x: tf.Tensor) => tf.slice(x, [0, 4 * layout.regMax], [-1, nc]);
    const conf = tf.max(tf.sigmoid(logits(t2)), -1); // [N]
    const mask = positivesMask(conf, cfg.positives);
    const cls = clsTerm(logits(s2), logits(t2), { temperature: cfg.temperature, weights: mask });
    const box = boxDistill(decodeV8(bins(s2), layout.regMax), decodeV8(bins(t2), layout.regMax), { kind: cfg.box, attention: tf.mul(conf, mask) });
    const dfl = dflDistill(bins(s2), bins(t2), { temperature: cfg.dfl.temperature, weights: mask });
    return tf.addN([tf.mul(cls, cfg.clsWeight), tf.mul(box, cfg.boxWeight), tf.mul(dfl, cfg.dfl.weight)]) as Scalar;
  });
}

/** weight * mean over levels of the level losses; `temperature` already resolved, warm-up not applied. */
export function decoupledHeadLoss(cfg: ResolvedHeadConfig, student: ModelOutput, teacher: ModelOutput): Scalar {
  if (student.head.length !== teacher.head.length || student.head.length === 0) {
    throw new Error(`losses.DecoupledHead: student has ${student.head.length} head levels, teacher ${teacher.head.length}`);
  }
  return tf.tidy(() => {
    const levels = student.head.map((s, level) => {
      const t = teacher.head[level]!;
      if (s.shape.join('x') !== t.shape.join('x')) {
        throw new Error(`losses.DecoupledHead: head level ${level} shapes differ: student ${s.shape.join('x')}, teacher ${t.shape.join('x')}`);
      }
      const channels = s.shape[s.shape.length - 1] ?? 0;
      return headLevelLoss(cfg, headLayout(cfg.head, level, channels), level, s, t);
    });
    return tf.mul(tf.div(tf.addN(levels), levels.length), cfg.weight) as Scalar;
  });
}

export const decoupledHead: PluginDescriptor<DecoupledHeadConfig, DistillLoss> = {
  type: 'losses.DecoupledHead',
  kind: 'loss',
  summary: 'head distillation: class KL/BCE at temperature, 1-CIoU/GIoU with teacher attention, objectness focal (v5), DFL KL (v8)',
  parse: (raw, at) => parseWith(decoupledHeadSchema, raw, at),
  create: (cfg) => {
    const t = cfg.temperature;
    const temperature = typeof t === 'number' ? () => t : stepDecay(t);
    const ramp = linearWarmup({ epochs: cfg.warmup });
    return {
      name: 'losses.DecoupledHead',
      taps: [],
      compute: (student, teacher, _batch, step) =>
        tf.tidy(() => tf.mul(decoupledHeadLoss({ ...cfg, temperature: temperature(step) }, student, teacher), ramp(step)) as Scalar),
    };
  },
};
