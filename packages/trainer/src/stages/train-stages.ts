import { parseWith, type PluginDescriptor, type PluginRef, type Stage, type Augmentation, type Metric } from '@yolo-distill/core';
import { z } from 'zod';
import { parseTrainingRefs, trainingKeys, type TrainingDefaults } from '../config/training-schema.js';
import type { TrainingSettings } from '../loop/training-loop.js';
import { SupervisedTask } from '../loop/supervised-task.js';
import { trainingSettings } from './stage-settings.js';
import { TrainingStage } from './training-stage.js';

interface SupervisedConfig {
  readonly settings: TrainingSettings;
  readonly augmentations: readonly PluginRef<Augmentation>[];
  readonly metric: PluginRef<Metric>;
}

function supervisedDescriptor(type: string, summary: string, defaults: TrainingDefaults): PluginDescriptor<SupervisedConfig, Stage> {
  const schema = z.strictObject({
    ...trainingKeys(defaults),
    /** Stop when one native loss term exceeds this many times the others (0: never). */
    dominance: z.number().min(0).default(0),
  });
  return {
    type,
    kind: 'stage',
    summary,
    parse: (raw, at) => {
      const config = parseWith(schema, raw, at);
      return { settings: trainingSettings(config, config.dominance), ...parseTrainingRefs(config, at) };
    },
    create: async (config, { build }) => {
      const augmentations = await Promise.all(config.augmentations.map((ref) => build(ref)));
      const metric = await build(config.metric);
      return new TrainingStage(type, config.settings, { augmentations, metric }, () => new SupervisedTask());
    },
  };
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
