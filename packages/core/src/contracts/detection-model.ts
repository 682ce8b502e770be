import type { InjectionToken } from 'tsyringe';
import type { LossTerms, ModelOutput, NamedTensors, Tensor, Tensor4D, Variable } from './tensors.js';
import type { ImageBatch } from './samples.js';
import type { FeatureMix } from './augmentation.js';
import type { ConvHook } from './training-transform.js';
import type { Checkpointable } from './checkpointable.js';
import type { HeadDescription } from './head-description.js';
import type { ModelGraph } from './model-graph.js';
import type { CheckpointPayload } from '../services/checkpoint-store.js';

/**
 * The name of a registered head kind (`@yolo-distill/yolo`'s `HEAD_KINDS`: `anchor-based`, `anchor-free`):
 * open, since core knows no YOLO head; what a kind means lives in its entry.
 */
export type HeadKind = string;

/** Options of one forward pass. `taps` names the feature maps to capture; `training` switches BN/dropout. */
export interface ForwardOptions {
  readonly training: boolean;
  readonly taps?: readonly string[];
  /** A feature-level mix applied inside the pass at its tap (feature CutMix). */
  readonly mix?: FeatureMix;
  /** Changes every conv's input and kernel in this pass (fake quantization); a model without convs ignores it. */
  readonly conv?: ConvHook;
}

/** Soft class targets for a native loss: label smoothing, and the teacher's class probabilities mixed in. */
export interface NativeLossOptions {
  /** Label smoothing epsilon (positive 1 - eps/2, negative eps/2, as YOLOv5's smooth_BCE); overrides the model's own. */
  readonly labelSmoothing?: number;
  /**
   * The teacher's raw head (the student's layout): at the rows the loss assigns to objects, the class
   * targets become (1 - mix) * (smoothed one-hot) + mix * sigmoid(teacher class logits).
   */
  readonly teacher?: { readonly head: readonly Tensor[]; readonly mix: number };
}

/** A built detector: forward with feature taps, its native detection loss, decode, weights. */
export interface DetectionModel extends Checkpointable {
  readonly name: string;
  readonly headKind: HeadKind;
  readonly numClasses: number;
  readonly strides: readonly number[];
  /** The head as distillation losses see it (anchors, level balance, DFL bins). */
  readonly headDescription?: HeadDescription;
  /** Names of every tappable intermediate map (`backbone.N`, `neck.0..2`, ...). */
  readonly taps: readonly string[];
  /** Where the weights came from (a file or checkpoint folder); undefined means freshly initialised. */
  readonly weightsSource?: string;
  forward(images: Tensor4D, options: ForwardOptions): ModelOutput;
  /** The version's own supervised loss, as its upstream trainer computes it (`options`: soft class targets). */
  loss(output: ModelOutput, batch: ImageBatch, options?: NativeLossOptions): LossTerms;
  /**
   * Decoded predictions `[batch, boxes, 4 + classes]`: cx, cy, w, h in input pixels, then each class's
   * confidence (objectness x class probability for anchor-based heads, class probability otherwise).
   */
  decode(output: ModelOutput): Tensor;
  /**
   * The decoded output in the layout of the version's upstream ONNX export: anchor-based
   * `[B, N, 5 + nc]` (cx, cy, w, h, objectness, class scores), anchor-free `[B, 4 + nc, N]`.
   */
  decodeAsExported?(output: ModelOutput): Tensor;
  /** The inference graph as the model's layers describe it (what exporters write); absent: the model cannot be exported. */
  graph?(): ModelGraph;
  /**
   * A model whose parameters have the shapes a checkpoint holds: this one, or the same model rebuilt
   * with the checkpoint's channel counts (a pruned model's). The runner uses it before `loadState` on
   * resume, since a stage (pruning) may have replaced the student with a smaller one.
   */
  shapedFor?(payload: CheckpointPayload): DetectionModel;
  trainableVariables(): readonly Variable[];
  getWeights(): NamedTensors;
  setWeights(weights: NamedTensors): void;
  dispose(): void;
}

/** One YOLO version: its scales, default taps and how to build a model of it. */
export interface ModelAdapter {
  readonly version: string;
  readonly scales: readonly string[];
  readonly defaultTaps: readonly string[];
  build(options: { scale: string; numClasses: number; imageSize: number }): Promise<DetectionModel>;
}

export const MODEL_ADAPTERS: InjectionToken<readonly ModelAdapter[]> = Symbol.for('yolo-distill.ModelAdapters');
