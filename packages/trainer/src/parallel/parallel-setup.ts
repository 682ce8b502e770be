import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, PipelineModels, StageContext, Variable } from '@yolo-distill/core';
import type { TrainingTask } from '../loop/training-task.js';
import { DataParallel } from './data-parallel.js';
import type { LossReduction } from './loss-reduction.js';
import type { ReplicaLauncher } from './replica-launcher.js';
import { resolveWorkers, type WorkersOption } from './workers-option.js';

/** What a stage hands its loop so that `workers:` can split batches: the run's launcher (if any) and how its losses split. */
export interface ParallelSetup {
  readonly launcher: ReplicaLauncher | undefined;
  readonly reduction: LossReduction;
  /** Why this stage cannot use replicas with these models (its teacher holds the other core): `auto` then means 1, a count is refused. */
  readonly otherCoreBusy?: (task: TrainingTask, models: PipelineModels) => string | undefined;
}

export interface StartOptions {
  readonly option: WorkersOption;
  readonly batch: number;
  readonly stageName: string;
  readonly context: StageContext;
  readonly student: DetectionModel;
  readonly task: TrainingTask;
  readonly variables: readonly Variable[];
  readonly imageSize: number;
}

/** The data-parallel steps `workers:` asks for, started, or undefined for the single-thread loop (1, or `auto` resolving to 1). */
export async function startDataParallel(setup: ParallelSetup | undefined, o: StartOptions): Promise<DataParallel | undefined> {
  if (o.option === 1) return undefined;
  const { count, reason } = resolveWorkers({
    option: o.option,
    batch: o.batch,
    cores: availableParallelism(),
    backend: tf.getBackend(),
    launcher: setup?.launcher !== undefined,
    otherCoreBusy: setup?.otherCoreBusy?.(o.task, o.context.models),
  });
  o.context.logger.info(`${o.stageName}: ${reason}`);
  if (count === 1 || !setup?.launcher) return undefined;
  return DataParallel.start({
    stageName: o.stageName,
    stageIndex: o.context.index,
    workers: count,
    launcher: setup.launcher,
    student: o.student,
    task: o.task,
    variables: o.variables,
    reduction: setup.reduction,
    imageShape: [1, o.imageSize, o.imageSize, 3],
  });
}
