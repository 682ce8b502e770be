import type { PipelineModels, Stage, StageContext } from '@yolo-distill/core';
import { TrainingLoop, type TrainingParts, type TrainingSettings, type TrainingSummary } from '../loop/training-loop.js';
import type { TrainingTask } from '../loop/training-task.js';

/** A stage that runs the shared training loop with one task and records its summary in the run folder. */
export class TrainingStage implements Stage {
  lastSummary: TrainingSummary | undefined;

  constructor(
    readonly name: string,
    private readonly settings: TrainingSettings,
    private readonly parts: TrainingParts,
    private readonly makeTask: () => TrainingTask,
  ) {}

  async preflight(models: PipelineModels): Promise<string> {
    const task = this.makeTask();
    try {
      return task.preflight ? await task.preflight(models) : `${this.settings.epochs} epoch(s) of batch ${this.settings.batch}`;
    } finally {
      task.dispose();
    }
  }

  async run(context: StageContext): Promise<void> {
    const task = this.makeTask();
    try {
      const summary = await new TrainingLoop(this.name, this.settings, this.parts, task).run(context);
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
