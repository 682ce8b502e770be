import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

const EPS = 1e-8;

export const featureCosineSchema = z.strictObject({ ...featureLossKeys });
export type FeatureCosineConfig = FeatureLossConfig;

/** `1 - cos(s, t)` of the channel vectors at each (n, y, x), averaged over all positions. */
export class FeatureCosineLoss extends FeatureLoss {
  constructor(config: FeatureCosineConfig) {
    super('losses.FeatureCosine', config);
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    const dot = tf.sum(tf.mul(student, teacher), -1);
    const norms = tf.mul(tf.norm(student, 'euclidean', -1), tf.norm(teacher, 'euclidean', -1));
    const cosine = tf.div(dot, tf.maximum(norms, EPS));
    return tf.mean(tf.sub(1, cosine));
  }
}

export const featureCosine: PluginDescriptor<FeatureCosineConfig, DistillLoss> = {
  type: 'losses.FeatureCosine',
  kind: 'loss',
  summary: 'One minus the cosine similarity of channel vectors, averaged over spatial positions.',
  schema: featureCosineSchema,
  parse: (raw, at) => parseWith(featureCosineSchema, raw, at),
  create: (config) => new FeatureCosineLoss(config),
};
