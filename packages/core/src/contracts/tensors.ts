import type { Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs-core';

export type { Scalar, Tensor, Tensor4D, Variable };

/** Named feature maps (NHWC) captured at a model's taps, e.g. `neck.0` .. `neck.2` = P3/P4/P5. */
export type FeatureMaps = Readonly<Record<string, Tensor4D>>;

/** What a detector's forward pass returns: raw head outputs (one per level) and the requested taps. */
export interface ModelOutput {
  readonly head: readonly Tensor[];
  readonly features: FeatureMaps;
}

/** A set of named weights, the unit of checkpoints, import and export. */
export type NamedTensors = Readonly<Record<string, Tensor>>;

/** Loss terms of one step; `total` is what gradients flow from, the terms are logged separately. */
export interface LossTerms {
  readonly total: Scalar;
  readonly terms: Readonly<Record<string, Scalar>>;
}
