import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

export const pkdSchema = z.strictObject({ ...featureLossKeys });
export type PKDConfig = FeatureLossConfig;

/**
 * Per-channel standardisation over (N, H, W) as PKD (Cao et al. 2022) does it: the sample standard
 * deviation (n - 1) and 1e-6 added to it.
 */
export function pearsonStandardize(x: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    const { mean, variance } = tf.moments(x, [0, 1, 2], true);
    const std = tf.sqrt(tf.mul(variance, count / Math.max(count - 1, 1)));
    return tf.div(tf.sub(x, mean), tf.add(std, 1e-6)) as Tensor4D;
  });
}

/** PKD: MSE / 2 between the per-channel standardised maps, i.e. 1 - Pearson correlation per channel. */
export class PKDLoss extends FeatureLoss {
  constructor(config: PKDConfig) {
    super('losses.PKD', config);
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    return tf.div(tf.mean(tf.squaredDifference(pearsonStandardize(student), pearsonStandardize(teacher))), 2);
  }
}

export const pkd: PluginDescriptor<PKDConfig, DistillLoss> = {
  type: 'losses.PKD',
  kind: 'loss',
  summary: 'PKD: MSE/2 of per-channel standardised maps (Pearson correlation), 1x1 connector when channels differ',
  schema: pkdSchema,
  parse: (raw, at) => parseWith(pkdSchema, raw, at),
  create: (config) => new PKDLoss(config),
};
