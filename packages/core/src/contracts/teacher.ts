import type { InjectionToken } from 'tsyringe';
import type { FeatureMix } from './augmentation.js';
import type { HeadKind } from './detection-model.js';
import type { HeadDescription } from './head-description.js';
import type { ModelOutput, Tensor, Tensor4D } from './tensors.js';

/** A frozen teacher: forward without gradients, from an adapter checkpoint or an ONNX file. */
export interface Teacher {
  readonly name: string;
  readonly headKind: HeadKind;
  readonly numClasses: number;
  /** The head as distillation losses see it; absent when the teacher cannot tell (some ONNX exports). */
  readonly headDescription?: HeadDescription;
  readonly taps: readonly string[];
  /** Whether `forward` can apply a feature mix inside the pass (a model can; one opaque ONNX graph cannot). */
  readonly mixesFeatures?: boolean;
  /**
   * Whether `forward` computes off the JS thread (an ONNX teacher whose session runs in a worker_thread):
   * a forward started early overlaps the caller's own work, so trainer.Distill runs it one batch ahead.
   */
  readonly offThread?: boolean;
  /** Where the weights came from (a file or checkpoint folder); undefined means freshly initialised. */
  readonly weightsSource?: string;
  /** `options.mix`: a feature mix inside the pass (a teacher that runs as one opaque graph throws). */
  forward(images: Tensor4D, taps: readonly string[], options?: TeacherForwardOptions): Promise<ModelOutput>;
  /**
   * Decoded predictions `[batch, boxes, 4 + classes]` as `DetectionModel.decode` gives them; lets a
   * stage measure the teacher's mAP before distilling. A teacher without it cannot be checked.
   */
  decode?(output: ModelOutput): Tensor;
  dispose(): void;
}

export interface TeacherForwardOptions {
  readonly mix?: FeatureMix;
}

/** The pipeline's teacher, registered in the run container before the student is built (`anchors: refit` from the teacher). */
export const PIPELINE_TEACHER: InjectionToken<Teacher> = Symbol.for('yolo-distill.PipelineTeacher');
