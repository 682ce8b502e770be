import type { DistillBinding } from './head-description.js';
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
  /**
   * Set while the trainer measures gradient norms to calibrate relative weights: the loss then returns
   * its base weight times its raw value, ignoring `from`, `until` and weight schedules.
   */
  readonly calibrating?: boolean;
}

/** A distillation loss: sees recorded tensors only, never a model. Returns a weighted scalar. */
export interface DistillLoss {
  readonly name: string;
  readonly taps: readonly TapPair[];
  compute(student: ModelOutput, teacher: ModelOutput, batch: ImageBatch, step: StepInfo): Scalar;
  /** Weights the loss owns (connectors, attention convs), trained with the student. */
  trainableVariables?(): readonly Variable[];
  /**
   * `weight: { relative: r }`: the trainer measures the native and this loss's gradient norms at the
   * start of the stage and multiplies the loss so that its gradient is `r` times the native one.
   */
  readonly relativeWeight?: number;
  /** Called once before the first compute with the student's (and teacher's) head description. */
  bind?(binding: DistillBinding): void;
  /**
   * Sub-terms for `diagnose` (values only, no gradients needed): e.g. `cls`, `box`, `obj` and
   * `foregroundShare`, the share of the loss on locations where the teacher sees an object.
   */
  breakdown?(student: ModelOutput, teacher: ModelOutput, batch: ImageBatch, step: StepInfo): Readonly<Record<string, Scalar>>;
}
