export {
  bceWithLogits, boxDistill, classBCE, classKL, dflDistill, objectnessFocal, positivesMask, weightedMean,
  type BoxDistillOptions, type ClassKLOptions, type DFLDistillOptions, type FocalOptions, type PositivesOptions, type TermOptions,
} from './terms.js';
export { decoupledHead, decoupledHeadLoss, headLayout, headLevelLoss, type DecoupledHeadConfig, type HeadLayout, type ResolvedHeadConfig } from './decoupled-head.js';
