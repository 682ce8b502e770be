import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, ModelOutput, Teacher, Tensor4D } from '@yolo-distill/core';

/** Whether the teacher can run one batch ahead of the student, and the line the log gets about it. */
export interface AheadPlan {
  readonly ahead: boolean;
  readonly message: string;
}

/**
 * A teacher runs ahead only when its forward computes off the JS thread (an onnx.Teacher's session in
 * its worker) and nothing of this step goes into it: a feature mix is drawn per step and applied
 * inside the teacher's pass, and an EMA teacher follows the student after every step.
 */
export function teacherAheadPlan(mode: 'pipeline' | 'ema', teacher: Teacher | undefined, featureMixes: number, label: string): AheadPlan {
  const inline = (why: string): AheadPlan => ({ ahead: false, message: `teacher ${label} runs inline, before each student step: ${why}` });
  if (mode === 'ema') return inline('an EMA teacher follows the student after every step');
  if (!teacher?.offThread) return inline("its forward runs on the student's JS thread (an onnx.Teacher in its worker thread can run one batch ahead)");
  if (featureMixes > 0) return inline("featureAugmentations mix inside the teacher's forward pass, drawn per step");
  return { ahead: true, message: `teacher ${label} runs in its own thread, one batch ahead: its forward for the next batch overlaps the student's step` };
}

/**
 * The teacher's forward for the next batch, started early (`start`) and handed to the step that
 * trains on that batch (`take`); what nobody takes is released when it arrives.
 */
export class TeacherAhead {
  private pending: { readonly batch: ImageBatch; readonly output: Promise<ModelOutput> } | undefined;

  constructor(private readonly forward: (images: Tensor4D) => Promise<ModelOutput>) {}

  start(batch: ImageBatch): void {
    this.discard();
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    let output: Promise<ModelOutput>;
    try {
      output = this.forward(images);
    } catch (error) {
      images.dispose();
      throw error;
    }
    void output.then(
      () => images.dispose(),
      () => images.dispose(),
    );
    this.pending = { batch, output };
  }

  /** The outputs started for `batch`, or undefined (then the caller runs the teacher itself). */
  take(batch: ImageBatch): Promise<ModelOutput> | undefined {
    if (this.pending?.batch !== batch) {
      this.discard();
      return undefined;
    }
    const { output } = this.pending;
    this.pending = undefined;
    return output;
  }

  dispose(): void {
    this.discard();
  }

  private discard(): void {
    const pending = this.pending;
    this.pending = undefined;
    void pending?.output.then(
      (output) => tf.dispose([...output.head, ...Object.values(output.features)]),
      () => undefined,
    );
  }
}
