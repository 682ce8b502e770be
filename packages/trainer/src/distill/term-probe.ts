import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, DistillLoss, ImageBatch, ModelOutput, NativeLossOptions, Scalar, StepInfo, Tensor4D } from '@yolo-distill/core';
import { keepingWeights } from '../loop/swap-weights.js';
import { cosine, flatGradient, l2Norm } from './term-gradients.js';

/** One batch measured: the native loss and every distillation term, each with its gradient norm and cosine to the native gradient. */
export interface BatchMeasurement {
  readonly native: { readonly value: number; readonly gradNorm: number };
  readonly terms: readonly { readonly value: number; readonly gradNorm: number; readonly cosine: number; readonly parts: Readonly<Record<string, number>> }[];
}

export interface TermProbeParts {
  readonly student: DetectionModel;
  readonly losses: readonly DistillLoss[];
  readonly nativeWeight: number;
  readonly studentTaps: readonly string[];
  readonly teacherOutputs: (images: Tensor4D) => Promise<ModelOutput>;
  /** The native loss's soft-target options for this teacher output (label smoothing, teacherMix). */
  readonly nativeOptions?: (teacher: ModelOutput) => NativeLossOptions | undefined;
}

/**
 * Measures each term's gradient separately on real batches: one training-mode forward per term (a
 * gradient tape holds one scalar), the teacher once per batch. The student's weights, BN running
 * statistics included, are put back afterwards, so measuring changes nothing.
 */
export class TermProbe {
  constructor(private readonly parts: TermProbeParts) {}

  /** `factors[i]` multiplies term i (a calibrated relative weight); `step` is where the terms are evaluated. */
  async measure(batch: ImageBatch, step: StepInfo, factors: readonly number[]): Promise<BatchMeasurement> {
    const { student, losses, nativeWeight, studentTaps } = this.parts;
    const variables = student.trainableVariables();
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    const teacher = await this.parts.teacherOutputs(images);
    const forward = () => student.forward(images, { training: true, taps: studentTaps });
    try {
      return await keepingWeights(student, async () => {
        const native = await flatGradient(() => tf.mul(student.loss(forward(), batch, this.parts.nativeOptions?.(teacher)).total, nativeWeight) as Scalar, variables);
        const nativeNorm = l2Norm(native.gradient);
        const terms = [];
        for (const [i, loss] of losses.entries()) {
          const factor = factors[i] ?? 1;
          const measured = await flatGradient(() => tf.mul(loss.compute(forward(), teacher, batch, step), factor) as Scalar, variables);
          const parts = loss.breakdown ? await this.breakdown(loss, forward, teacher, batch, step) : {};
          terms.push({ value: measured.value, gradNorm: l2Norm(measured.gradient), cosine: cosine(measured.gradient, native.gradient), parts });
        }
        return { native: { value: native.value, gradNorm: nativeNorm }, terms };
      });
    } finally {
      tf.dispose([images, ...teacher.head, ...Object.values(teacher.features)]);
    }
  }

  private async breakdown(loss: DistillLoss, forward: () => ModelOutput, teacher: ModelOutput, batch: ImageBatch, step: StepInfo): Promise<Record<string, number>> {
    let names: string[] = [];
    const stacked = tf.tidy(() => {
      const parts = loss.breakdown?.(forward(), teacher, batch, step) ?? {};
      names = Object.keys(parts);
      return names.length > 0 ? tf.stack(names.map((n) => parts[n] as Scalar)) : tf.zeros([0]);
    });
    const data = await stacked.data();
    stacked.dispose();
    return Object.fromEntries(names.map((n, i) => [n, data[i] as number]));
  }
}
