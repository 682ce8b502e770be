import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D, type Variable } from '@yolo-distill/core';
import { z } from 'zod';
import { conv1x1Kernel, FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

export const attentionMSESchema = z.strictObject({ ...featureLossKeys });
export type AttentionMSEConfig = FeatureLossConfig;

/**
 * Adaptive spatial attention MSE: `A = sigmoid(conv1x1(|t - s|) + b)`, A is [N,H,W,1], and the
 * loss is `mean(A * (s - t)^2)`. The conv kernel and bias are trainable variables, created at the
 * first compute (when the channel count is known).
 */
export class AttentionMSELoss extends FeatureLoss {
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  constructor(config: AttentionMSEConfig) {
    super('losses.AttentionMSE', config);
  }

  protected override prepare(channels: number): void {
    if (this.kernel) return;
    this.kernel = conv1x1Kernel(`${this.name}/attention`, channels, 1);
    this.bias = tf.variable(tf.zeros([1]), true);
  }

  protected override ownVariables(): readonly Variable[] {
    return this.kernel && this.bias ? [this.kernel, this.bias] : [];
  }

  /** The attention map for a pair (exposed for tests and visualisation). */
  attention(student: Tensor4D, teacher: Tensor4D): Tensor4D {
    if (!this.kernel || !this.bias) throw new Error(`${this.name}: attention weights are created at the first compute`);
    const kernel = this.kernel as tf.Tensor4D;
    const bias = this.bias;
    return tf.tidy(() => tf.sigmoid(tf.add<Tensor4D>(tf.conv2d(tf.abs(tf.sub<Tensor4D>(teacher, student)), kernel, 1, 'valid'), bias)));
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    return tf.mean(tf.mul(this.attention(student, teacher), tf.squaredDifference(student, teacher)));
  }
}

export const attentionMSE: PluginDescriptor<AttentionMSEConfig, DistillLoss> = {
  type: 'losses.AttentionMSE',
  kind: 'loss',
  summary: 'MSE weighted by a learned spatial attention map (1x1 conv + sigmoid of |teacher - student|).',
  parse: (raw, at) => parseWith(attentionMSESchema, raw, at),
  create: (config) => new AttentionMSELoss(config),
};
