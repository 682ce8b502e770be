export { augmentPlugin, AUGMENT_PACKAGE_VERSION } from './plugin.js';
export { Mosaic, MOSAIC_DEFAULTS, mosaicAugmentation, type MosaicConfig } from './mosaic.js';
export { MixUp, MIX_UP_DEFAULTS, mixUpAugmentation, blendImages, concatLabels, type MixUpConfig } from './mix-up.js';
export { Hsv, HSV_DEFAULTS, hsvAugmentation, shiftHsv, type HsvConfig, type HsvShift } from './hsv.js';
export { Flip, FLIP_DEFAULTS, flipAugmentation, flipImage, flipLabels, type FlipConfig, type FlipDirection } from './flip.js';
export {
  RandomAffine,
  RANDOM_AFFINE_DEFAULTS,
  randomAffineAugmentation,
  randomAffine,
  warpLabelled,
  type AffineJitter,
  type DrawnAffine,
  type RandomAffineConfig,
  type Size,
} from './random-affine.js';
export {
  FeatureCutMix,
  FEATURE_CUT_MIX_DEFAULTS,
  featureCutMixAugmentation,
  boxCells,
  cutMixMaps,
  drawCutBox,
  type FeatureCutMixConfig,
  type RelativeBox,
} from './feature-cut-mix.js';
export { labelSmoothingEpsilon, smoothBceTargets, smoothClassTargets, type SmoothedTargets } from './label-smoothing.js';
export { mixSoftLabels } from './soft-labels.js';
export { applyAffine, compose, invert, translation, IDENTITY, type Affine } from './geometry/affine.js';
export { warpAffine, FILL_VALUE } from './geometry/warp-affine.js';
export {
  BOX_FILTER,
  clipBoxes,
  isBoxCandidate,
  labelsToPixels,
  pixelsToLabels,
  transformBoxes,
  type BoxFilter,
  type PixelBoxes,
} from './geometry/boxes.js';
