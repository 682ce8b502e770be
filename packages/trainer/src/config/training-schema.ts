import type { ConfigLocation, FeatureAugmentation, Augmentation, Metric, PluginRef } from '@yolo-distill/core';
import { z } from 'zod';
import { workersSchema } from '../parallel/workers-option.js';

/** Defaults that differ between Train, Distill and Finetune. */
export interface TrainingDefaults {
  readonly epochs: number;
  readonly lr: number;
  readonly warmupEpochs: number;
}

const policy = z.enum(['error', 'warn']);

export function trainingKeys(defaults: TrainingDefaults) {
  return {
    epochs: z.int().min(1).default(defaults.epochs),
    /** Multiplies `epochs` (rounded, at least 1): the seed plan's one factor for small runs. */
    epochScale: z.number().positive().default(1),
    batch: z.int().min(1).default(16),
    /** Caps the batches of an epoch (tiny runs, smoke tests); default: the whole training split. */
    stepsPerEpoch: z.int().min(1).optional(),
    optimizer: z
      .strictObject({
        type: z.enum(['sgd', 'adam', 'adamw']).default('adam'),
        lr: z.number().positive().default(defaults.lr),
        momentum: z.number().min(0).max(1).default(0.937),
        nesterov: z.boolean().default(true),
        beta2: z.number().min(0).max(1).default(0.999),
        epsilon: z.number().positive().default(1e-8),
        weightDecay: z.number().min(0).default(5e-4),
        /** `flat` (the default): JS loops over one layout; `tensor`: the same rules as tfjs ops (the benchmark's A/B baseline). */
        implementation: z.enum(['flat', 'tensor']).optional(),
      })
      .prefault({}),
    schedule: z
      .strictObject({
        decay: z.enum(['cosine', 'linear', 'constant']).default('cosine'),
        /** The LR factor reached at the last step (Ultralytics' lrf). */
        finalFactor: z.number().min(0).max(1).default(0.01),
        warmupEpochs: z.number().min(0).default(defaults.warmupEpochs),
      })
      .prefault({}),
    /**
     * Network slimming's sparsity penalty: `bnL1 * sum |gamma|` over every BatchNorm of the student, added to
     * the loss (the component `bnL1`) so that `prune.Channels` with `importance: bn-gamma` finds channels near 0;
     * 0 (the default): off.
     */
    bnL1: z.number().min(0).default(0).describe('network slimming: weight of the L1 penalty on every BatchNorm gamma, added to the loss (0: off)'),
    /** Max global gradient norm (0: no clipping); Ultralytics' 10 (the design article's 1.0 clips every step of a YOLO loss). */
    clipNorm: z.number().min(0).default(10),
    ema: z.union([z.literal(false), z.strictObject({ decay: z.number().min(0).max(1).default(0.9999), tau: z.number().positive().default(2000) })]).default({ decay: 0.9999, tau: 2000 }),
    validate: z
      .strictObject({
        /** Validate every N epochs and after the last one (0: never). */
        every: z.int().min(0).default(1),
        maxImages: z.int().min(1).optional(),
        confThreshold: z.number().min(0).max(1).default(0.001),
        iouThreshold: z.number().min(0).max(1).default(0.6),
        maxDetections: z.int().min(1).default(300),
      })
      .prefault({}),
    /** What "best" means: Ultralytics' fitness 0.1 mAP50 + 0.9 mAP50-95, or one of them. */
    selectBy: z.enum(['fitness', 'map', 'map50']).default('fitness'),
    /** At the end of the stage, leave the best validated weights in the student (else the last, EMA if on). */
    keepBest: z.boolean().default(true),
    logEvery: z.int().min(1).default(10),
    /** Threads that split each batch: 1 (the default), N, or auto (see `resolveWorkers`). */
    workers: workersSchema,
    augmentations: z.array(z.unknown()).default([]),
    metric: z.unknown().optional(),
  } as const;
}

/** Guard rails of Distill: what to do when the teacher looks wrong, and when a loss term goes bad. */
export const guardsSchema = z
  .strictObject({
    /** A teacher whose weights were never loaded (no `weights:`). */
    untrainedTeacher: policy.default('error'),
    /** A teacher whose validation fitness is not above the student's. */
    weakTeacher: policy.default('error'),
    /** A teacher whose outputs for one image change with the rest of the batch (BN in training mode). */
    teacherInTrainingMode: policy.default('error'),
    /** Evaluate teacher and student on the validation split before distilling. */
    compareTeacher: z.boolean().default(true),
    /** Stop when one loss component exceeds this many times the sum of the others (0: never). */
    dominance: z.number().min(0).default(100),
  })
  .prefault({});

export type GuardsConfig = z.output<typeof guardsSchema>;

/** The plugin refs nested in a training stage's YAML, parsed with their own locations. */
export interface TrainingRefs {
  readonly augmentations: readonly PluginRef<Augmentation>[];
  readonly metric: PluginRef<Metric>;
}

/** Parses `augmentations:` and `metric:` (default `eval.CocoMap` without per-class keys). */
export function parseTrainingRefs(config: { augmentations: readonly unknown[]; metric?: unknown }, at: ConfigLocation): TrainingRefs {
  return {
    augmentations: config.augmentations.map((raw, i) => at.child('augmentations').child(i).plugin<Augmentation>('augmentation', raw)),
    metric: at.child('metric').plugin<Metric>('metric', config.metric ?? { type: 'eval.CocoMap', perClass: false }),
  };
}

export function parseFeatureAugmentations(raw: readonly unknown[], at: ConfigLocation): PluginRef<FeatureAugmentation>[] {
  return raw.map((node, i) => at.child('featureAugmentations').child(i).plugin<FeatureAugmentation>('featureAugmentation', node));
}

/** `epochs * epochScale`, rounded, at least one. */
export function scaledEpochs(epochs: number, scale: number): number {
  return Math.max(1, Math.round(epochs * scale));
}
