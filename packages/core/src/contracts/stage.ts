import type { DatasetSource } from './dataset-source.js';
import type { DetectionModel } from './detection-model.js';
import type { Teacher } from './teacher.js';
import type { StageCheckpoints } from '../services/checkpoint-store.js';
import type { Rng } from '../services/rng.js';
import type { EventBus } from '../services/event-bus.js';
import type { Logger } from '../services/logger.js';
import type { RunFolder } from '../services/run-folder.js';

/** The models and data a pipeline carries from stage to stage; a stage may replace the student. */
export interface PipelineModels {
  data?: DatasetSource;
  teacher?: Teacher;
  student?: DetectionModel;
}

/** Everything a stage gets when it runs. */
export interface StageContext {
  readonly index: number;
  readonly models: PipelineModels;
  readonly rng: Rng;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly folder: RunFolder;
  readonly checkpoints: StageCheckpoints;
  readonly signal: AbortSignal;
}

/** One step of a pipeline (Distill, Finetune, prune, quantize, export ...). */
export interface Stage {
  readonly name: string;
  run(context: StageContext): Promise<void>;
  /**
   * A dry check `validate` runs after building (no files written, no data prepared): e.g. push a dummy
   * batch through teacher and student to prove the tapped maps fit the losses. Throws on a problem;
   * returns one line saying what was checked.
   */
  preflight?(models: PipelineModels): Promise<string>;
}
