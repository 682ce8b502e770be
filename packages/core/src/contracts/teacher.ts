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
  /** Where the weights came from (a file or checkpoint folder); undefined means freshly initialised. */
  readonly weightsSource?: string;
  forward(images: Tensor4D, taps: readonly string[]): Promise<ModelOutput>;
  /**
   * Decoded predictions `[batch, boxes, 4 + classes]` as `DetectionModel.decode` gives them; lets a
   * stage measure the teacher's mAP before distilling. A teacher without it cannot be checked.
   */
  decode?(output: ModelOutput): Tensor;
  dispose(): void;
}
