export { lossesPlugin } from './plugin.js';
export {
  attentionMSE, AttentionMSELoss, channelWiseKL, ChannelWiseKLLoss, CWD_DEFAULT_TAU, featureCosine, FeatureCosineLoss, featureDescriptors, featureL2, FeatureL2Loss, FeatureLoss,
  type AttentionMSEConfig, type ChannelWiseKLConfig, type FeatureCosineConfig, type FeatureL2Config, type FeatureLossConfig,
} from './feature/index.js';
export {
  bceWithLogits, boxDistill, classBCE, classKL, decoupledHead, decoupledHeadLoss, dflDistill, headLayout, headLevelLoss, objectnessFocal, positivesMask, weightedMean,
  type BoxDistillOptions, type ClassKLOptions, type DecoupledHeadConfig, type DFLDistillOptions, type FocalOptions, type HeadLayout, type PositivesOptions, type TermOptions,
} from './head/index.js';
export { linearWarmup, progressiveTaps, stepDecay, type LinearWarmupOptions, type ProgressiveTapsOptions, type Schedule, type StepDecayOptions } from './schedules/index.js';
