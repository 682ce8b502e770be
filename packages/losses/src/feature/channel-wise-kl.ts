import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, standardize, type FeatureLossConfig } from './feature-loss.js';

/**
 * CWD's temperature on standardised maps: 1, as DAMO-YOLO and MMRazor's RTMDet recipe use (the CWD
 * paper's 4 is for raw segmentation logits).
 */
export const CWD_DEFAULT_TAU = 1;

export const channelWiseKLSchema = z.strictObject({
  ...featureLossKeys,
  tau: z.number().positive().default(CWD_DEFAULT_TAU),
  /** Standardise both maps per channel (BN without affine) before the softmax; `false`: raw maps as in the CWD paper. */
  normalize: z.boolean().default(true),
});
export interface ChannelWiseKLConfig extends FeatureLossConfig {
  readonly tau: number;
  readonly normalize: boolean;
}

/**
 * Channel-wise distillation (Shu et al. 2021): with `normalize`, both maps are first standardised
 * per channel over the batch (the student after its connector); then each channel becomes a distribution over the H*W positions
 * (softmax at `tau`); KL(teacher || student) summed over positions, averaged over channels and
 * batch, times `tau^2`.
 */
export class ChannelWiseKLLoss extends FeatureLoss {
  constructor(private readonly cwd: ChannelWiseKLConfig) {
    super('losses.ChannelWiseKL', cwd);
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar {
    const [n, h, w, c] = student.shape;
    const tau = this.cwd.tau;
    // [N,H,W,C] -> [N,C,H*W]: one row per channel.
    const rows = (x: Tensor4D): tf.Tensor3D => tf.transpose(tf.reshape(x, [n, h * w, c]), [0, 2, 1]);
    const prepare = (x: Tensor4D) => rows(this.cwd.normalize ? standardize(x) : x);
    const logS = tf.logSoftmax(tf.div(prepare(student), tau));
    const logT = tf.logSoftmax(tf.div(prepare(teacher), tau));
    const kl = tf.sum(tf.mul(tf.exp(logT), tf.sub(logT, logS)), -1);
    return tf.mul(tf.mean(kl), tau * tau);
  }
}

export const channelWiseKL: PluginDescriptor<ChannelWiseKLConfig, DistillLoss> = {
  type: 'losses.ChannelWiseKL',
  kind: 'loss',
  summary: 'Channel-wise distillation (CWD): standardised maps, KL over the spatial softmax per channel, times tau^2.',
  schema: channelWiseKLSchema,
  parse: (raw, at) => parseWith(channelWiseKLSchema, raw, at),
  create: (config) => new ChannelWiseKLLoss(config),
};
