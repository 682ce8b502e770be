import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, type FeatureLossConfig } from './feature-loss.js';

/** CWD's temperature; 4 is the value the CWD paper (Shu et al. 2021) reports for dense prediction. */
export const CWD_DEFAULT_TAU = 4;

export const channelWiseKLSchema = z.strictObject({ ...featureLossKeys, tau: z.number().positive().default(CWD_DEFAULT_TAU) });
export interface ChannelWiseKLConfig extends FeatureLossConfig {
  readonly tau: number;
}

/**
 * Channel-wise distillation: each channel becomes a distribution over the H*W positions
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
    const logS = tf.logSoftmax(tf.div(rows(student), tau));
    const logT = tf.logSoftmax(tf.div(rows(teacher), tau));
    const kl = tf.sum(tf.mul(tf.exp(logT), tf.sub(logT, logS)), -1);
    return tf.mul(tf.mean(kl), tau * tau);
  }
}

export const channelWiseKL: PluginDescriptor<ChannelWiseKLConfig, DistillLoss> = {
  type: 'losses.ChannelWiseKL',
  kind: 'loss',
  summary: 'Channel-wise distillation (CWD): KL over spatial softmax per channel, times tau^2.',
  parse: (raw, at) => parseWith(channelWiseKLSchema, raw, at),
  create: (config) => new ChannelWiseKLLoss(config),
};
