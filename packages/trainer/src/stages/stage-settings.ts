import type { z } from 'zod';
import type { TrainingSettings } from '../loop/training-loop.js';
import { scaledEpochs, type trainingKeys } from '../config/training-schema.js';

type ParsedTraining = Omit<z.output<z.ZodObject<ReturnType<typeof trainingKeys>>>, 'augmentations' | 'metric'>;

/** The loop's settings from a parsed stage config (epochs scaled, refs left out). */
export function trainingSettings(config: ParsedTraining, dominance: number): TrainingSettings {
  return {
    epochs: scaledEpochs(config.epochs, config.epochScale),
    batch: config.batch,
    stepsPerEpoch: config.stepsPerEpoch,
    optimizer: config.optimizer,
    schedule: config.schedule,
    clipNorm: config.clipNorm,
    ema: config.ema,
    validate: config.validate,
    selectBy: config.selectBy,
    keepBest: config.keepBest,
    logEvery: config.logEvery,
    dominance,
    workers: config.workers,
    bnL1: config.bnL1,
  };
}
