import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

export const featureL2Schema = z.strictObject({ ...featureLossKeys });
export type FeatureL2Config = FeatureLossConfig;

/** MSE over every element of the pair (shallow maps, FitNets-style). */
export class FeatureL2Loss extends FeatureLoss {
  constructor(config: FeatureL2Config) {
    super('losses.FeatureL2', config);
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    return tf.mean(tf.squaredDifference(student, teacher));
  }
}

export const featureL2: PluginDescriptor<FeatureL2Config, DistillLoss> = {
  type: 'losses.FeatureL2',
  kind: 'loss',
  summary: 'Feature MSE between a student and a teacher tap (1x1 connector when channels differ).',
  schema: featureL2Schema,
  parse: (raw, at) => parseWith(featureL2Schema, raw, at),
  create: (config) => new FeatureL2Loss(config),
};
