import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from './parameters.js';

/** Ultralytics' BatchNorm settings (all of v3/v5/v7/v8 set them in `initialize_weights`). */
export const BN_EPS = 1e-3;
export const BN_MOMENTUM = 0.03;

/**
 * BatchNorm2d over NHWC maps, parameters `<prefix>.weight|bias|running_mean|running_var`.
 * Training: batch statistics, and the running estimates move like PyTorch's
 * (`running = (1 - momentum) * running + momentum * batch`, the variance unbiased). Eval: running statistics.
 * Written as plain arithmetic: tf.batchNorm's gradient tiles its inputs and is several times slower on wasm.
 */
export class BatchNorm2d {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  constructor(
    params: ParameterStore,
    readonly prefix: string,
    readonly channels: number,
    readonly eps = BN_EPS,
    readonly momentum = BN_MOMENTUM,
  ) {
    this.gamma = params.filled(`${prefix}.weight`, channels, 1, 'trainable');
    this.beta = params.filled(`${prefix}.bias`, channels, 0, 'trainable');
    this.runningMean = params.filled(`${prefix}.running_mean`, channels, 0, 'running-stat');
    this.runningVar = params.filled(`${prefix}.running_var`, channels, 1, 'running-stat');
  }

  forward(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      // y = x * s + t with s = gamma / sqrt(var + eps), t = beta - mean * s: two ops on the map.
      const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(this.runningVar, this.eps)));
      const shift = tf.sub(this.beta, tf.mul(this.runningMean, scale));
      return tf.add(tf.mul(x, scale), shift);
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    this.updateRunningStats(mean, variance, x.shape[0] * x.shape[1] * x.shape[2]);
    const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.eps)));
    return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta);
  }

  /**
   * Moves the running estimates towards a batch's mean and biased variance over `count` values per
   * channel (the variance is made unbiased here, as PyTorch does).
   */
  updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const unbiased = count > 1 ? count / (count - 1) : 1;
    const keep = 1 - this.momentum;
    const [newMean, newVar] = tf.tidy(() => {
      // Not on the loss path, so no gradient flows here even while a tape records.
      return [
        tf.add(tf.mul(this.runningMean, keep), tf.mul(mean, this.momentum)),
        tf.add(tf.mul(this.runningVar, keep), tf.mul(variance, this.momentum * unbiased)),
      ];
    });
    this.runningMean.assign(newMean as tf.Tensor);
    this.runningVar.assign(newVar as tf.Tensor);
    tf.dispose([newMean, newVar]);
  }
}
