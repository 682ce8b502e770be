import { parseWith, type Augmentation, type DistillLoss, type FeatureAugmentation, type Metric, type PluginDescriptor, type PluginRef, type Stage, type TrainingTransform } from '@yolo-distill/core';
import { z } from 'zod';
import { guardsSchema, parseFeatureAugmentations, parseTrainingRefs, trainingKeys } from '../config/training-schema.js';
import { DistillTask, type DistillSettings } from '../distill/distill-task.js';
import type { ParallelSetup } from '../parallel/parallel-setup.js';
import { replicaLauncher } from '../parallel/replica-launcher.js';
import { checkWorkers } from '../parallel/workers-option.js';
import { trainingSettings } from './stage-settings.js';
import { TrainingStage } from './training-stage.js';

const distillSchema = z.strictObject({
  ...trainingKeys({ epochs: 10, lr: 1e-3, warmupEpochs: 1 }),
  losses: z.array(z.unknown()).min(1).describe('distillation terms (losses.ScoreWeightedL2, losses.ChannelWiseKL, losses.DecoupledHead, ...), each with its weight or weight: { relative }'),
  featureAugmentations: z.array(z.unknown()).default([]).describe('feature-level augmentations of the student and teacher maps (augment.FeatureCutMix)'),
  transform: z.unknown().optional().describe("a change to the student's forward while it trains: { type: quantize.FakeQuant } for quantization-aware distillation"),
  nativeWeight: z.number().min(0).default(1).describe("weight of the student's own YOLO loss on the labels"),
  teacher: z
    .strictObject({
      mode: z.enum(['pipeline', 'ema']).default('pipeline'),
      decay: z.number().min(0).max(1).default(0.999),
      tau: z.number().positive().default(100),
    })
    .prefault({})
    .describe("mode pipeline (the pipeline's frozen teacher) or ema (a moving average of the student, decay and tau)"),
  guards: guardsSchema.describe('what to do when the teacher looks wrong (untrainedTeacher, weakTeacher, teacherInTrainingMode: error or warn), compareTeacher before distilling, dominance of one loss term'),
  labelSmoothing: z.number().min(0).max(1).optional().describe("label smoothing epsilon of the native loss's class targets; default: the model's own (0)"),
  teacherMix: z.number().min(0).max(1).default(0).describe("share of the teacher's class probabilities mixed into the native loss's class targets (anchor-based students)"),
  balance: z.strictObject({ batches: z.int().min(1).max(64).default(4) }).prefault({}).describe('training batches measured at the stage start to set weight: { relative } terms'),
});

type DistillConfig = Omit<z.output<typeof distillSchema>, 'losses' | 'featureAugmentations' | 'augmentations' | 'metric' | 'transform'> & {
  readonly losses: readonly PluginRef<DistillLoss>[];
  readonly transform: PluginRef<TrainingTransform> | undefined;
  readonly featureAugmentations: readonly PluginRef<FeatureAugmentation>[];
  readonly augmentations: readonly PluginRef<Augmentation>[];
  readonly metric: PluginRef<Metric>;
};

/** `trainer.Distill`: native loss on the labels plus distillation losses from a frozen teacher. */
export const distillStage: PluginDescriptor<DistillConfig, Stage> = {
  type: 'trainer.Distill',
  kind: 'stage',
  summary: 'knowledge distillation: native loss + feature/head distillation losses from a frozen teacher (guard rails on the teacher and the loss terms)',
  schema: distillSchema,
  parse: (raw, at) => {
    const config = parseWith(distillSchema, raw, at);
    checkWorkers(config, at);
    // Each replica would observe its own share of the batch: the transform's state lives in one thread.
    if (config.transform !== undefined && config.workers !== 1) throw at.child('transform').error('a transform runs in the main thread only; set workers: 1');
    return {
      ...config,
      losses: config.losses.map((node, i) => at.child('losses').child(i).plugin<DistillLoss>('loss', node)),
      transform: config.transform === undefined ? undefined : at.child('transform').plugin<TrainingTransform>('transform', config.transform),
      featureAugmentations: parseFeatureAugmentations(config.featureAugmentations, at),
      ...parseTrainingRefs(config, at),
    };
  },
  create: async (config, { build, container }) => {
    const settings = trainingSettings(config, config.guards.dominance);
    const v = settings.validate;
    const distill: DistillSettings = {
      nativeWeight: config.nativeWeight,
      teacher: config.teacher,
      guards: config.guards,
      balanceBatches: config.balance.batches,
      labelSmoothing: config.labelSmoothing,
      teacherMix: config.teacherMix,
      evaluate: { batch: settings.batch, maxImages: v.maxImages, confThreshold: v.confThreshold, iouThreshold: v.iouThreshold, maxDetections: v.maxDetections },
    };
    const augmentations = await Promise.all(config.augmentations.map((ref) => build(ref)));
    const metric = await build(config.metric);
    const losses = await Promise.all(config.losses.map((ref) => build(ref)));
    const featureAugmentations = await Promise.all(config.featureAugmentations.map((ref) => build(ref)));
    const transform = config.transform ? await build(config.transform) : undefined;
    const parallel: ParallelSetup = {
      launcher: replicaLauncher(container),
      // The native loss is batch-scaled; distillation terms are batch means.
      reduction: { component: (name) => (name === 'native' ? 'sum' : 'mean') },
      // Each replica builds the pipeline's teacher: a model teacher runs in every worker; an ONNX graph stays with the main thread.
      otherCoreBusy: (_task, models) =>
        config.teacher.mode === 'pipeline' && models.teacher && models.teacher.mixesFeatures !== true
          ? `the teacher ${models.teacher.name} is an ONNX graph, which runs in onnxruntime beside the student (one batch ahead on the other core), not in replicas; use a model teacher (e.g. yolov5.Model with weights:) to split batches`
          : undefined,
    };
    return new TrainingStage('trainer.Distill', settings, { augmentations, metric }, () => new DistillTask(distill, losses, featureAugmentations, metric, transform), parallel);
  },
};
