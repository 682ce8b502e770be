import type { DiagnoseOptions, DiagnoseReport, PipelineModels, Stage, StageContext } from '@yolo-distill/core';
import { trainingBatches } from '../loop/training-batches.js';
import { TrainingLoop, type TrainingParts, type TrainingSettings, type TrainingSummary } from '../loop/training-loop.js';
import type { TrainingTask } from '../loop/training-task.js';
import { BatchNormL1Task } from '../loop/batch-norm-l1.js';
import type { LossReduction } from '../parallel/loss-reduction.js';
import type { ParallelSetup } from '../parallel/parallel-setup.js';

/**
 * A stage that runs the shared training loop with one task and records its summary in the run folder.
 * With `parallel` its loop can split batches across replica threads (`workers:`), which build the same
 * stage and make the same task (`makeTask`, `lossReduction`: see `serveReplica`).
 */
export class TrainingStage implements Stage {
  lastSummary: TrainingSummary | undefined;
  /** The stage's task, with the BatchNorm L1 penalty around it when `bnL1` asks for one. */
  readonly makeTask: () => TrainingTask;

  constructor(
    readonly name: string,
    private readonly settings: TrainingSettings,
    private readonly parts: TrainingParts,
    makeTask: () => TrainingTask,
    private readonly parallel?: ParallelSetup,
  ) {
    const bnL1 = settings.bnL1 ?? 0;
    this.makeTask = bnL1 > 0 ? () => new BatchNormL1Task(makeTask(), bnL1) : makeTask;
  }

  get lossReduction(): LossReduction | undefined {
    return this.parallel?.reduction;
  }

  async preflight(models: PipelineModels): Promise<string> {
    const task = this.makeTask();
    try {
      return task.preflight ? await task.preflight(models) : `${this.settings.epochs} epoch(s) of batch ${this.settings.batch}`;
    } finally {
      task.dispose();
    }
  }

  /** Measures the loss terms on the first training batches (a stage whose task can: Distill). */
  async diagnose(models: PipelineModels, options: DiagnoseOptions): Promise<DiagnoseReport> {
    const task = this.makeTask();
    try {
      if (!task.diagnose) throw new Error(`${this.name} has no distillation terms to diagnose`);
      if (!models.data) throw new Error(`${this.name} needs the pipeline's data`);
      await models.data.prepare();
      const batches = await trainingBatches(models.data, this.parts.augmentations, this.settings.batch, options.batches, options.rng);
      return { stage: this.name, ...(await task.diagnose(models, batches, this.settings.epochs)) };
    } finally {
      task.dispose();
    }
  }

  async run(context: StageContext): Promise<void> {
    const task = this.makeTask();
    try {
      const summary = await new TrainingLoop(this.name, this.settings, this.parts, task, this.parallel).run(context);
      await task.finish?.(context, this.name);
      this.lastSummary = summary;
      await context.folder.writeJson(`training-${context.index}.json`, { stage: this.name, ...summary });
      if (summary.best) {
        for (const [name, value] of Object.entries(summary.best.metrics)) {
          if (['map50', 'map', 'fitness'].includes(name)) context.events.emit({ type: 'metric', stage: context.index, name: `best.${name}`, value });
        }
      }
    } finally {
      task.dispose();
    }
  }
}
