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
    epochs: z.int().min(1).default(defaults.epochs).describe('training epochs of the stage'),
    epochScale: z.number().positive().default(1).describe('multiplies epochs (rounded, at least 1): one factor to shrink or grow a whole plan'),
    batch: z.int().min(1).default(16).describe('images per optimiser step'),
    stepsPerEpoch: z.int().min(1).optional().describe('caps the batches of an epoch (smoke tests); default: the whole training split'),
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
      .prefault({})
      .describe('sgd (momentum, nesterov), adam or adamw (beta2, epsilon); lr; weightDecay on conv kernels only; implementation: flat (default) or tensor'),
    schedule: z
      .strictObject({
        decay: z.enum(['cosine', 'linear', 'constant']).default('cosine'),
        /** The LR factor reached at the last step (Ultralytics' lrf). */
        finalFactor: z.number().min(0).max(1).default(0.01),
        warmupEpochs: z.number().min(0).default(defaults.warmupEpochs),
      })
      .prefault({})
      .describe('LR decay (cosine, linear, constant) to finalFactor x lr at the last step (Ultralytics lrf), after warmupEpochs of linear warm-up'),
    bnL1: z.number().min(0).default(0).describe('network slimming: weight of the L1 penalty on every BatchNorm gamma, added to the loss (0: off)'),
    clipNorm: z.number().min(0).default(10).describe('max global gradient norm (0: no clipping); Ultralytics 10'),
    ema: z.union([z.literal(false), z.strictObject({ decay: z.number().min(0).max(1).default(0.9999), tau: z.number().positive().default(2000) })]).default({ decay: 0.9999, tau: 2000 }).describe('exponential moving average of the weights (decay, tau warm-up as Ultralytics ModelEMA), validated and kept; false: off'),
    validate: z
      .strictObject({
        /** Validate every N epochs and after the last one (0: never). */
        every: z.int().min(0).default(1),
        maxImages: z.int().min(1).optional(),
        confThreshold: z.number().min(0).max(1).default(0.001),
        iouThreshold: z.number().min(0).max(1).default(0.6),
        maxDetections: z.int().min(1).default(300),
      })
      .prefault({})
      .describe('validate every N epochs and after the last (every: 0 never), on at most maxImages, with conf/IoU thresholds and maxDetections'),
    selectBy: z.enum(['fitness', 'map', 'map50']).default('fitness').describe('what best means: fitness (0.1 mAP50 + 0.9 mAP50-95, Ultralytics), map or map50'),
    keepBest: z.boolean().default(true).describe('leave the best validated weights in the student at the stage end (else the last, EMA if on)'),
    logEvery: z.int().min(1).default(10).describe('emit a step event every N steps'),
    workers: workersSchema.describe('threads that split each batch: 1, N, or auto (data-parallel replicas)'),
    augmentations: z.array(z.unknown()).default([]).describe('image augmentations of the training batches (augment.Mosaic, augment.MixUp, augment.HSV, augment.Flip, ...)'),
    metric: z.unknown().optional().describe('the validation metric (default eval.CocoMap)'),
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
