import * as tf from '@tensorflow/tfjs-core';
import { channelAffine, channelMean } from './channel-ops.js';
import { activationGradient, applyFusedActivation, type FusedActivation } from './fused-activation.js';
import { lazyCustomGrad, type LazyGradients } from './lazy-custom-grad.js';

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** The learned tensors of one Conv-BN-act layer: the kernel HWIO, BN's gamma and beta, an optional conv bias. */
export interface ConvBnActWeights {
  readonly filter: tf.Tensor4D;
  readonly gamma: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
  readonly bias?: tf.Tensor1D;
}

export interface ConvBnActTrainingOptions {
  readonly stride: number;
  readonly pad: 'valid' | 'same' | number | ExplicitPadding;
  readonly activation: FusedActivation;
  /** BatchNorm's epsilon. */
  readonly eps: number;
  /**
   * Called during the forward with the batch mean and biased variance (`[C]`, released afterwards) and
   * the number of values per channel they were taken over, for the running statistics.
   */
  readonly onBatchStatistics?: (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;
}

/**
 * Training-mode `act(BN(conv(x, filter) + bias))` with batch statistics as one op whose backward is
 * written out instead of taped (about 55 engine calls per layer, forward and backward, against 90).
 * With `xhat = (z - mean) * rstd` and `dn` the gradient at the BN output,
 *   dbeta = sum(dn),  dgamma = rstd * (sum(dn * z) - mean * dbeta),
 *   dz = gamma * rstd * dnHat,  dnHat = dn - (xhat * dgamma + dbeta) / M,
 * and the per-channel factor `s = gamma * rstd` goes onto the small tensors instead of the map:
 * dW = backpropFilter(x, dnHat) * s, dx = backpropInput(dnHat, filter * s). The conv bias (if any)
 * gets exactly zero, since the batch mean removes it. Gradients are computed only for the inputs the
 * tape needs (no image gradient for a model's first layer). Dilated convs are not supported (nor are
 * they by tfjs' conv gradient).
 */
export function convBnActTraining(x: tf.Tensor4D, weights: ConvBnActWeights, options: ConvBnActTrainingOptions): tf.Tensor4D {
  const { filter, gamma, beta, bias } = weights;
  const { stride, pad, activation, eps } = options;
  const inputs = bias ? [x, filter, gamma, beta, bias] : [x, filter, gamma, beta];
  return lazyCustomGrad<tf.Tensor4D>('ConvBnActTraining', inputs, (save) => {
    const z = bias ? tf.fused.conv2d({ x, filter, strides: stride, pad, bias }) : tf.conv2d(x, filter, stride, pad);
    const [b, h, w] = z.shape;
    const count = b * h * w;
    const mean = channelMean(z);
    const variance = channelMean(tf.squaredDifference(z, mean));
    options.onBatchStatistics?.(mean, variance, count);
    const rstd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const scale = tf.mul(gamma, rstd) as tf.Tensor1D;
    const shift = tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D;
    const { value, saved } = applyFusedActivation(z, scale, shift, activation);
    save([x, filter, z, mean, rstd, scale, ...saved]);
    return {
      value,
      gradients: (dy, [xSaved, filterSaved, zSaved, meanSaved, rstdSaved, scaleSaved, ...activationSaved]) => {
        const [dnHat, dgamma, dbeta] = tf.tidy(() => {
          const dn = activationGradient(dy, activation, activationSaved);
          const meanDn = channelMean(dn);
          const meanDnZ = channelMean(tf.mul(dn, zSaved as tf.Tensor4D));
          // With sums as means (sum = M * mean): dgamma / M = rstd * (mean(dn z) - mean * mean(dn)) and
          // dnHat = dn - (a * z + b), a = rstd * dgamma / M, b = mean(dn) - a * mean.
          const dgammaOverM = tf.mul(rstdSaved as tf.Tensor1D, tf.sub(meanDnZ, tf.mul(meanSaved as tf.Tensor1D, meanDn))) as tf.Tensor1D;
          const a = tf.mul(dgammaOverM, rstdSaved as tf.Tensor1D) as tf.Tensor1D;
          const b = tf.sub(meanDn, tf.mul(a, meanSaved as tf.Tensor1D)) as tf.Tensor1D;
          const dnHat = tf.sub(dn, channelAffine(zSaved as tf.Tensor4D, a, b)) as tf.Tensor4D;
          return [dnHat, tf.mul(dgammaOverM, count) as tf.Tensor1D, tf.mul(meanDn, count) as tf.Tensor1D];
        });
        const s = scaleSaved as tf.Tensor1D;
        const input = xSaved as tf.Tensor4D;
        const kernel = filterSaved as tf.Tensor4D;
        const gradients: LazyGradients = [
          () => tf.conv2dTranspose(dnHat as tf.Tensor4D, tf.mul(kernel, s) as tf.Tensor4D, input.shape, stride, pad),
          () => tf.mul(conv2DBackpropFilter(input, dnHat as tf.Tensor4D, kernel.shape, stride, pad), s),
          () => dgamma as tf.Tensor,
          () => dbeta as tf.Tensor,
        ];
        return bias ? [...gradients, () => tf.zeros(bias.shape)] : gradients;
      },
    };
  });
}

function conv2DBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly [number, number, number, number], stride: number, pad: ConvBnActTrainingOptions['pad']): tf.Tensor4D {
  // tfjs-core does not export its conv2DBackpropFilter op; this is the kernel call it makes.
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape: [...filterShape] });
}
