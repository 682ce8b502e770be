export { FeatureLoss, featureLossKeys, standardize, type FeatureLossConfig, type PairOutputs } from './feature-loss.js';
export { featureL2, FeatureL2Loss, featureL2Schema, type FeatureL2Config } from './feature-l2.js';
export { channelWiseKL, ChannelWiseKLLoss, channelWiseKLSchema, CWD_DEFAULT_TAU, type ChannelWiseKLConfig } from './channel-wise-kl.js';
export { attentionMSE, AttentionMSELoss, attentionMSESchema, type AttentionMSEConfig } from './attention-mse.js';
export { featureCosine, FeatureCosineLoss, featureCosineSchema, type FeatureCosineConfig } from './feature-cosine.js';
export { pearsonStandardize, pkd, PKDLoss, pkdSchema, type PKDConfig } from './pkd.js';
export { scoreWeightedL2, ScoreWeightedL2Loss, scoreWeightedL2Schema, teacherScoreMap, type ScoreWeightedL2Config } from './score-weighted-l2.js';

import { attentionMSE } from './attention-mse.js';
import { channelWiseKL } from './channel-wise-kl.js';
import { featureCosine } from './feature-cosine.js';
import { featureL2 } from './feature-l2.js';
import { pkd } from './pkd.js';
import { scoreWeightedL2 } from './score-weighted-l2.js';

/** The feature-distillation descriptors, in the order the plugin lists them. */
export const featureDescriptors = [featureL2, channelWiseKL, pkd, scoreWeightedL2, attentionMSE, featureCosine] as const;
