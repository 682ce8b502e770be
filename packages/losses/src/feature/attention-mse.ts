import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D, type Variable } from '@yolo-distill/core';
import { z } from 'zod';
import { conv1x1Kernel, FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

export const attentionMSESchema = z.strictObject({
  ...featureLossKeys,
  /**
   * `teacher`: spatial attention from the teacher's map, H W softmax(mean_c |t| / tau) (FGD);
   * `learned`: H W softmax(conv1x1(|t - s|) + b), trained with the student. Both average 1 over
   * the cells, so minimising the loss cannot switch the attention off.
   */
  attention: z.enum(['teacher', 'learned']).default('teacher'),
  tau: z.number().positive().default(0.5),
});
export interface AttentionMSEConfig extends FeatureLossConfig {
  readonly attention: 'teacher' | 'learned';
  readonly tau: number;
}

/** H W softmax over the cells of `logits` [N, H, W, 1]: a map with mean 1 per image. */
function spatialSoftmax(logits: Tensor4D): Tensor4D {
  const [n, h, w] = logits.shape;
  return tf.mul(tf.reshape(tf.softmax(tf.reshape(logits, [n, h * w])), [n, h, w, 1]), h * w) as Tensor4D;
}

/** MSE weighted per cell by a spatial attention map (see `attention`). */
export class AttentionMSELoss extends FeatureLoss {
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  constructor(private readonly attentionConfig: AttentionMSEConfig) {
    super('losses.AttentionMSE', attentionConfig);
  }

  protected override prepare(channels: number): void {
    if (this.kernel || this.attentionConfig.attention !== 'learned') return;
    this.kernel = conv1x1Kernel(`${this.name}/attention`, channels, 1);
    this.bias = tf.variable(tf.zeros([1]), true);
  }

  protected override ownVariables(): readonly Variable[] {
    return this.kernel && this.bias ? [this.kernel, this.bias] : [];
  }

  /** The attention map for a pair, [N, H, W, 1] with mean 1 (exposed for tests and visualisation). */
  attention(student: Tensor4D, teacher: Tensor4D): Tensor4D {
    return tf.tidy(() => {
      if (this.attentionConfig.attention === 'teacher') return spatialSoftmax(tf.div(tf.mean(tf.abs(teacher), -1, true), this.attentionConfig.tau) as Tensor4D);
      if (!this.kernel || !this.bias) throw new Error(`${this.name}: attention weights are created at the first compute`);
      return spatialSoftmax(tf.add<Tensor4D>(tf.conv2d(tf.abs(tf.sub<Tensor4D>(teacher, student)), this.kernel as tf.Tensor4D, 1, 'valid'), this.bias));
    });
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    return tf.mean(tf.mul(this.attention(student, teacher), tf.squaredDifference(student, teacher)));
  }
}

export const attentionMSE: PluginDescriptor<AttentionMSEConfig, DistillLoss> = {
  type: 'losses.AttentionMSE',
  kind: 'loss',
  summary: "MSE weighted by a spatial attention map with mean 1: from the teacher's map (default) or learned",
  schema: attentionMSESchema,
  parse: (raw, at) => parseWith(attentionMSESchema, raw, at),
  create: (config) => new AttentionMSELoss(config),
};
