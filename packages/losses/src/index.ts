export { lossesPlugin } from './plugin.js';
export {
  attentionMSE, AttentionMSELoss, channelWiseKL, ChannelWiseKLLoss, CWD_DEFAULT_TAU, featureCosine, FeatureCosineLoss, featureDescriptors, featureL2, FeatureL2Loss, FeatureLoss,
  pearsonStandardize, pkd, PKDLoss, scoreWeightedL2, ScoreWeightedL2Loss, standardize, teacherScoreMap,
  type AttentionMSEConfig, type ChannelWiseKLConfig, type FeatureCosineConfig, type FeatureL2Config, type FeatureLossConfig, type PairOutputs, type PKDConfig, type ScoreWeightedL2Config,
} from './feature/index.js';
export {
  bceWithLogits, boxDistill, classBCE, classKL, decoupledHead, DecoupledHeadLoss, dflDistill, levelRows, objectnessFocal, objectnessLoss, positivesMask, qualityFocalLoss,
  sigmoidFocalLoss, teacherTargets, weightedMean,
  type BoxDistillOptions, type ClassKLOptions, type DecoupledHeadConfig, type DFLDistillOptions, type FocalOptions, type HeadLossParts, type ObjectnessLoss,
  type PositivesOptions, type RowTargets, type TermOptions,
} from './head/index.js';
export { baseWeight, relativeWeight, scheduleFactor, termScale, termWeightKeys, type TermWeightConfig } from './weights/index.js';
export { linearWarmup, progressiveTaps, stepDecay, type LinearWarmupOptions, type ProgressiveTapsOptions, type Schedule, type StepDecayOptions } from './schedules/index.js';
