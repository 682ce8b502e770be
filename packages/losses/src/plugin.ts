import type { Plugin } from '@yolo-distill/core';
import { featureDescriptors } from './feature/index.js';
import { decoupledHead } from './head/index.js';

/** The package's plugin object; the CLI hands it to the registry. Its types arrive with the issues that build them. */
export const lossesPlugin: Plugin = { meta: { name: '@yolo-distill/losses', version: '0.1.0' }, descriptors: [
  ...featureDescriptors,
  decoupledHead,
] };
