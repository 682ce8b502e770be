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
  /**
   * `diagnose`: run `batches` training batches through the stage's losses without updating anything
   * and report each term's value and gradient against the native loss's (distillation stages).
   */
  diagnose?(models: PipelineModels, options: DiagnoseOptions): Promise<DiagnoseReport>;
}

export interface DiagnoseOptions {
  readonly batches: number;
  readonly rng: Rng;
  readonly logger: Logger;
}

/** One loss term as `diagnose` measured it, averaged over the batches. */
export interface DiagnosedTerm {
  readonly name: string;
  /** The term's value as the stage would add it to the total at its first step (weights applied). */
  readonly value: number;
  /** The factor a relative weight was calibrated to (1 for fixed weights). */
  readonly factor: number;
  /** Mean global norm of its gradient over the student's parameters. */
  readonly gradNorm: number;
  /** gradNorm / the native loss's gradNorm. */
  readonly ratio: number;
  /** Mean cosine between its gradient and the native loss's. */
  readonly cosine: number;
  /** Sub-terms the loss reports (`cls`, `box`, `obj`, `foregroundShare`, ...), averaged. */
  readonly parts: Readonly<Record<string, number>>;
}

export interface DiagnoseReport {
  readonly stage: string;
  readonly batches: number;
  readonly native: { readonly value: number; readonly gradNorm: number };
  readonly terms: readonly DiagnosedTerm[];
}
