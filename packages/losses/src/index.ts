export { lossesPlugin } from './plugin.js';
export {
  attentionMSE, AttentionMSELoss, channelWiseKL, ChannelWiseKLLoss, CWD_DEFAULT_TAU, featureCosine, FeatureCosineLoss, featureDescriptors, featureL2, FeatureL2Loss, FeatureLoss,
  type AttentionMSEConfig, type ChannelWiseKLConfig, type FeatureCosineConfig, type FeatureL2Config, type FeatureLossConfig,
} from './feature/index.js';
