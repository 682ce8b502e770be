import type { Plugin } from '@yolo-distill/core';
import { featureCutMixAugmentation } from './feature-cut-mix.js';
import { flipAugmentation } from './flip.js';
import { hsvAugmentation } from './hsv.js';
import { mixUpAugmentation } from './mix-up.js';
import { mosaicAugmentation } from './mosaic.js';
import { randomAffineAugmentation } from './random-affine.js';

/** Matches package.json (a test checks it). */
export const AUGMENT_PACKAGE_VERSION = '0.1.0';

/** The package's plugin object; the CLI hands it to the registry. */
export const augmentPlugin: Plugin = {
  meta: { name: '@yolo-distill/augment', version: AUGMENT_PACKAGE_VERSION },
  descriptors: [mosaicAugmentation, mixUpAugmentation, hsvAugmentation, flipAugmentation, randomAffineAugmentation, featureCutMixAugmentation],
};
