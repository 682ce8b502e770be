import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@yolo-distill/yolo';
import { parseWith, type DistillBinding, type DistillLoss, type HeadDescription, type ImageBatch, type ModelOutput, type PluginDescriptor, type Scalar, type StepInfo, type TapPair } from '@yolo-distill/core';
import { z } from 'zod';
import { linearWarmup, stepDecay, type Schedule } from '../schedules/schedules.js';
import { relativeWeight, termScale, termWeightKeys } from '../weights/term-weight.js';
import { levelRows } from './level-rows.js';
import { levelTerms, type LevelTermOptions } from './level-terms.js';
import type { ObjectnessLoss } from './objectness-terms.js';
import { teacherTargets } from './teacher-targets.js';

const decoupledHeadSchema = z.strictObject({
  ...termWeightKeys,
  temperature: z
    .union([z.number().positive(), z.strictObject({ start: z.number().positive(), end: z.number().positive(), every: z.number().int().positive(), by: z.number().nonnegative() })])
    .default(1)
    .describe('class term temperature: a number, or a step decay {start, end, every, by} over epochs'),
  warmup: z.number().int().nonnegative().default(0).describe('linear warm-up of the whole term over this many epochs (0: none)'),
  /** `bce`: per-class sigmoid BCE against the teacher's probabilities (YOLO classes are independent sigmoids); `kl`: softmax KL. */
  cls: z.enum(['bce', 'kl']).default('bce').describe("bce: per-class sigmoid BCE against the teacher's probabilities; kl: softmax KL"),
  box: z.enum(['ciou', 'giou']).default('ciou').describe('box term on teacher-foreground locations: ciou or giou'),
  clsWeight: z.number().nonnegative().default(1).describe('weight of the class part (0: off)'),
  boxWeight: z.number().nonnegative().default(1).describe('weight of the box part (0: off)'),
  objWeight: z.number().nonnegative().default(1).describe('weight of the objectness part, anchor-based heads (0: off)'),
  objectness: z
    .strictObject({
      /** `bce` on the teacher's probabilities, `focal` (torchvision form, targets binarised at `threshold`), `qfl` (quality focal on soft targets). */
      type: z.enum(['bce', 'focal', 'qfl']).default('bce'),
      gamma: z.number().nonnegative().default(2),
      alpha: z.number().max(1).default(0.25),
      threshold: z.number().min(0).max(1).default(0.5),
      beta: z.number().nonnegative().default(2),
    })
    .prefault({})
    .describe('objectness form: bce on the teacher probabilities, focal (targets binarised at threshold; gamma, alpha), qfl (quality focal, beta)'),
  dfl: z
    .strictObject({ weight: z.number().nonnegative().default(1), temperature: z.number().positive().default(1) })
    .prefault({})
    .describe("anchor-free heads: weight and temperature of the box distributions' KL"),
  foreground: z.number().min(0).max(1).default(0.05).describe("teacher confidence from which a location counts as foreground in diagnose's mass split"),
});

export type DecoupledHeadConfig = z.output<typeof decoupledHeadSchema>;

/** The pooled terms of the head loss (before `weight`) and, for `diagnose`, the foreground share. */
export interface HeadLossParts {
  readonly total: Scalar;
  readonly cls: Scalar;
  readonly box: Scalar;
  readonly obj?: Scalar;
  readonly dfl?: Scalar;
}

const EPS = 1e-9;

function objectnessOf(cfg: DecoupledHeadConfig): ObjectnessLoss {
  const o = cfg.objectness;
  if (o.type === 'focal') return { type: 'focal', gamma: o.gamma, alpha: o.alpha, threshold: o.threshold };
  if (o.type === 'qfl') return { type: 'qfl', beta: o.beta };
  return { type: 'bce' };
}

/**
 * Head distillation as the field does it. Anchor-based students (v3/v5/v7): objectness BCE against
 * the teacher's objectness at every row, a mean per level times the student's level balance (v5's
 * [4, 1, 0.4]); class and box terms weighted by the teacher's objectness and normalised by its sum
 * over all levels, so background rows carry no class signal. Anchor-free students (v8): class BCE
 * against the teacher's scores, box CIoU and DFL (LD) weighted by the teacher's max class score.
 * Heads of the other kind are mapped per location (see `teacherTargets`).
 */
export class DecoupledHeadLoss implements DistillLoss {
  readonly name = 'losses.DecoupledHead';
  readonly taps: readonly TapPair[] = [];
  readonly relativeWeight: number | undefined;
  private binding: DistillBinding | undefined;
  private readonly temperature: Schedule;
  private readonly ramp: Schedule;

  constructor(private readonly cfg: DecoupledHeadConfig) {
    this.relativeWeight = relativeWeight(cfg);
    const t = cfg.temperature;
    this.temperature = typeof t === 'number' ? () => t : stepDecay(t);
    this.ramp = linearWarmup({ epochs: cfg.warmup });
  }

  bind(binding: DistillBinding): void {
    this.binding = binding;
  }

  compute(student: ModelOutput, teacher: ModelOutput, _batch: ImageBatch, step: StepInfo): Scalar {
    const scale = termScale(this.cfg, step) * (step.calibrating ? 1 : this.ramp(step));
    if (scale === 0) return tf.scalar(0);
    return tf.tidy(() => tf.mul(this.parts(student, teacher, step).total, scale) as Scalar);
  }

  breakdown(student: ModelOutput, teacher: ModelOutput, _batch: ImageBatch, step: StepInfo): Readonly<Record<string, Scalar>> {
    return this.parts(student, teacher, step, true) as unknown as Record<string, Scalar>;
  }

  /** The pooled terms; with `share`, also `foregroundShare` (the loss's share on teacher-foreground rows). */
  parts(student: ModelOutput, teacher: ModelOutput, step: StepInfo, share = false): HeadLossParts & { foregroundShare?: Scalar } {
    const heads = this.heads();
    if (student.head.length !== teacher.head.length || student.head.length === 0) {
      throw new Error(`${this.name}: student has ${student.head.length} head levels, teacher ${teacher.head.length}`);
    }
    const options: LevelTermOptions = { cls: this.cfg.cls, temperature: this.temperature(step), box: this.cfg.box, objectness: objectnessOf(this.cfg), dflTemperature: this.cfg.dfl.temperature };
    type Parts = HeadLossParts & { foregroundShare?: Scalar };
    return tf.tidy((): Parts & tf.TensorContainerObject => {
      const levels = student.head.map((s, level) => {
        const t = teacher.head[level] as tf.Tensor;
        if (s.shape.slice(0, 3).join('x') !== t.shape.slice(0, 3).join('x')) {
          throw new Error(`${this.name}: head level ${level} grids differ: student ${s.shape.join('x')}, teacher ${t.shape.join('x')}`);
        }
        const stride = heads.student.strides[level];
        const sRows = levelRows(s, heads.student, level, 'student');
        const tRows = levelRows(stopGradient(t), heads.teacher, level, 'teacher', stride);
        if (sRows.numClasses !== tRows.numClasses) throw new Error(`${this.name}: the student has ${sRows.numClasses} classes, the teacher ${tRows.numClasses}`);
        return levelTerms(sRows, teacherTargets(tRows, sRows), options);
      });
      const balance = heads.student.levelBalance;
      const weightSum = tf.maximum(tf.addN(levels.map((l) => tf.sum(l.weight))), EPS);
      const pooled = (pick: (l: (typeof levels)[number]) => tf.Tensor | undefined) => {
        const sums = levels.map((l) => pick(l)).filter((x): x is tf.Tensor => x !== undefined);
        return sums.length === 0 ? undefined : (tf.div(tf.addN(sums), weightSum) as Scalar);
      };
      const cls = pooled((l) => tf.sum(tf.mul(l.weight, l.cls))) as Scalar;
      const box = pooled((l) => tf.sum(tf.mul(l.weight, l.box))) as Scalar;
      const dfl = pooled((l) => (l.dfl ? tf.sum(tf.mul(l.weight, l.dfl)) : undefined));
      const objLevels = levels.flatMap((l, i) => (l.obj ? [tf.mul(tf.mean(l.obj), balance?.[i] ?? 1)] : []));
      const obj = objLevels.length > 0 ? (tf.addN(objLevels) as Scalar) : undefined;
      const c = this.cfg;
      const terms = [tf.mul(cls, c.clsWeight), tf.mul(box, c.boxWeight), ...(obj ? [tf.mul(obj, c.objWeight)] : []), ...(dfl ? [tf.mul(dfl, c.dfl.weight)] : [])];
      const total = tf.addN(terms) as Scalar;
      const parts: Parts & tf.TensorContainerObject = { total, cls, box, ...(obj ? { obj } : {}), ...(dfl ? { dfl } : {}) };
      if (!share) return parts;
      // Each row's share of `total`: its weighted cls/box/dfl parts plus its part of its level's obj mean.
      const foreground = levels.map((l, i) => {
        const fg = tf.cast(tf.greaterEqual(l.weight, c.foreground), 'float32');
        const weighted = tf.div(tf.mul(l.weight, tf.add(tf.add(tf.mul(l.cls, c.clsWeight), tf.mul(l.box, c.boxWeight)), l.dfl ? tf.mul(l.dfl, c.dfl.weight) : 0)), weightSum);
        const objRow = l.obj ? tf.div(tf.mul(l.obj, (balance?.[i] ?? 1) * c.objWeight), l.obj.size) : tf.zerosLike(weighted);
        return tf.sum(tf.mul(fg, tf.add(weighted, objRow)));
      });
      return { ...parts, foregroundShare: tf.div(tf.addN(foreground), tf.maximum(total, EPS)) as Scalar };
    });
  }

  private heads(): { student: HeadDescription; teacher: HeadDescription } {
    if (!this.binding) throw new Error(`${this.name}: no head description was bound (the trainer binds the student's head before the first step)`);
    return { student: this.binding.student, teacher: this.binding.teacher ?? this.binding.student };
  }
}

export const decoupledHead: PluginDescriptor<DecoupledHeadConfig, DistillLoss> = {
  type: 'losses.DecoupledHead',
  kind: 'loss',
  summary: 'head distillation weighted by the teacher: objectness at every cell (level-balanced), class BCE/KL and CIoU weighted by teacher objectness (v5) or score (v8), DFL/LD (v8)',
  schema: decoupledHeadSchema,
  parse: (raw, at) => parseWith(decoupledHeadSchema, raw, at),
  create: (cfg) => new DecoupledHeadLoss(cfg),
};
