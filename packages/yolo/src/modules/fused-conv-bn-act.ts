import type * as tf from '@tensorflow/tfjs-core';
import { convBnActTraining, fusedConvBnActEnabled, type ExplicitPadding } from '@yolo-distill/backend';
import type { Activation } from './activation.js';
import type { BatchNorm2d } from './batch-norm.js';

export interface ConvGeometry {
  readonly stride: number;
  readonly pad: 'valid' | ExplicitPadding;
  readonly dilation: number;
}

/**
 * Whether a training-mode forward of a Conv-BN-act layer runs as the backend's fused op: on unless
 * switched off (`YOLO_DISTILL_FUSED_CONV_BN=0`, `setFusedConvBnAct(false)`); dilated convs never
 * (tfjs has no gradient for them either way).
 */
export function trainsFused(geometry: ConvGeometry): boolean {
  return geometry.dilation === 1 && fusedConvBnActEnabled();
}

/** conv -> BN (batch statistics; the running ones move as `BatchNorm2d` moves them) -> activation, as one op with a hand-written backward. */
export function fusedConvBnActForward(x: tf.Tensor4D, weight: tf.Variable, bn: BatchNorm2d, geometry: ConvGeometry, activation: Activation): tf.Tensor4D {
  return convBnActTraining(
    x,
    { filter: weight as tf.Tensor4D, gamma: bn.gamma as tf.Tensor1D, beta: bn.beta as tf.Tensor1D },
    {
      stride: geometry.stride,
      pad: geometry.pad,
      activation,
      eps: bn.eps,
      onBatchStatistics: (mean, variance, count) => bn.updateRunningStats(mean, variance, count),
    },
  );
}
