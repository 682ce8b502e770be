import { parseWith, type PluginDescriptor, type PluginRef, type Stage, type Augmentation, type Metric } from '@yolo-distill/core';
import { z } from 'zod';
import { parseTrainingRefs, trainingKeys, type TrainingDefaults } from '../config/training-schema.js';
import { SupervisedTask } from '../loop/supervised-task.js';
import { NATIVE_LOSS_REDUCTION } from '../parallel/loss-reduction.js';
import { replicaLauncher } from '../parallel/replica-launcher.js';
import { checkWorkers } from '../parallel/workers-option.js';
import { trainingSettings } from './stage-settings.js';
import { TrainingStage } from './training-stage.js';

function supervisedDescriptor(type: string, summary: string, defaults: TrainingDefaults) {
  const schema = z.strictObject({
    ...trainingKeys(defaults),
    dominance: z.number().min(0).default(0).describe('stop when one native loss term exceeds this many times the others (0: never)'),
  });
  type Config = Omit<z.output<typeof schema>, 'augmentations' | 'metric'> & {
    readonly augmentations: readonly PluginRef<Augmentation>[];
    readonly metric: PluginRef<Metric>;
  };
  const descriptor: PluginDescriptor<Config, Stage> = {
    type,
    kind: 'stage',
    summary,
    schema,
    parse: (raw, at) => {
      const config = parseWith(schema, raw, at);
      checkWorkers(config, at);
      return { ...config, ...parseTrainingRefs(config, at) };
    },
    create: async (config, { build, container }) => {
      const augmentations = await Promise.all(config.augmentations.map((ref) => build(ref)));
      const metric = await build(config.metric);
      const parallel = { launcher: replicaLauncher(container), reduction: NATIVE_LOSS_REDUCTION };
      return new TrainingStage(type, trainingSettings(config, config.dominance), { augmentations, metric }, () => new SupervisedTask(), parallel);
    },
  };
  return descriptor;
}

/** `trainer.Train`: supervised training with the student's native loss. */
export const trainStage = supervisedDescriptor('trainer.Train', "supervised training with the student's native YOLO loss (SGD/Adam/AdamW, warm-up + cosine, EMA, best-by-mAP)", {
  epochs: 10,
  lr: 1e-3,
  warmupEpochs: 1,
});

/** `trainer.Finetune`: the same on labels only, with a low learning rate and no warm-up (after distilling). */
export const finetuneStage = supervisedDescriptor('trainer.Finetune', 'fine-tuning on labels only at a low learning rate (default 3e-5, no warm-up)', {
  epochs: 10,
  lr: 3e-5,
  warmupEpochs: 0,
});
