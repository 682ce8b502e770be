export {
  bceWithLogits, boxDistill, classBCE, classKL, dflDistill, objectnessFocal, positivesMask, weightedMean,
  type BoxDistillOptions, type ClassKLOptions, type DFLDistillOptions, type FocalOptions, type PositivesOptions, type TermOptions,
} from './terms.js';
export { decoupledHead, DecoupledHeadLoss, type DecoupledHeadConfig, type HeadLossParts } from './decoupled-head.js';
export { levelRows } from './level-rows.js';
export { objectnessLoss, qualityFocalLoss, sigmoidFocalLoss, type ObjectnessLoss } from './objectness-terms.js';
export { teacherTargets, type RowTargets } from './teacher-targets.js';
