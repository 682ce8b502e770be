import type { DiagnoseReport, ImageBatch, PipelineModels, Scalar, StageContext, StepInfo, StoredTensor, Tensor4D, Variable } from '@yolo-distill/core';

/** The loss of one step: `total` (differentiated), its additive `components`, and terms logged only. */
export interface StepTerms {
  readonly total: Scalar;
  /** Parts that sum to `total`; the loss monitor compares them with each other. */
  readonly components: Readonly<Record<string, Scalar>>;
  readonly details: Readonly<Record<string, Scalar>>;
}

/** Work done outside the gradient tape (a teacher's forward) and the differentiable rest. */
export interface PreparedStep {
  /** Runs inside the gradient tape: the student's forward and every loss. */
  compute(): StepTerms;
  /** Frees what `prepare` made (the teacher's outputs). */
  release(): void;
}

/** What makes Train and Distill different; the loop does the rest. */
export interface TrainingTask {
  /** Before the first step (not on resume when `resumed`): checks, lazily created loss variables. */
  initialize(context: StageContext, probe: ImageBatch, resumed: boolean): Promise<void>;
  /** Training batches `calibrate` wants before the first step (0 or absent: no calibration). */
  readonly calibrationBatches?: number;
  /** Before the first step of a fresh (not resumed) stage: measure on real batches, e.g. to set relative weights. */
  calibrate?(batches: readonly ImageBatch[], context: StageContext): Promise<void>;
  /** `validate`'s dry check (see `Stage.preflight`). */
  preflight?(models: PipelineModels): Promise<string>;
  /** Trainable variables besides the student's (connectors, attention convs). */
  extraVariables(): readonly Variable[];
  prepare(images: Tensor4D, batch: ImageBatch, step: StepInfo): Promise<PreparedStep>;
  /**
   * Set (after `initialize`) by a task that starts work on the next batch during this batch's step:
   * the loop then peeks at the loader and calls it with the next batch of the epoch after `prepare`,
   * before the differentiable part (an ONNX teacher in its worker runs the next batch's forward meanwhile).
   */
  readonly lookahead?: ((next: ImageBatch) => void) | undefined;
  /** After each optimiser step (an EMA teacher follows the student here). */
  afterStep?(): void;
  /** `diagnose` (see `Stage.diagnose`): every term measured on `batches` at the first step of an `epochs`-epoch stage. */
  diagnose?(models: PipelineModels, batches: readonly ImageBatch[], epochs: number): Promise<Omit<DiagnoseReport, 'stage'>>;
  /** After the stage's last epoch (a transform writes what it learned). */
  finish?(context: StageContext, stage: string): Promise<void>;
  saveState?(): Promise<Record<string, StoredTensor>>;
  loadState?(tensors: Readonly<Record<string, StoredTensor>>): void;
  dispose(): void;
}
