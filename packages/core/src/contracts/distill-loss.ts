import type { ImageBatch } from './samples.js';
import type { ModelOutput, Scalar, Variable } from './tensors.js';

/** Which recorded tensor of the student feeds a loss, and which of the teacher (MMRazor's mapping). */
export interface TapPair {
  readonly student: string;
  readonly teacher: string;
}

/** Where training is, for schedules (temperature decay, weight ramps, progressive activation). */
export interface StepInfo {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
}

/** A distillation loss: sees recorded tensors only, never a model. Returns a weighted scalar. */
export interface DistillLoss {
  readonly name: string;
  readonly taps: readonly TapPair[];
  compute(student: ModelOutput, teacher: ModelOutput, batch: ImageBatch, step: StepInfo): Scalar;
  /** Weights the loss owns (connectors, attention convs), trained with the student. */
  trainableVariables?(): readonly Variable[];
}
