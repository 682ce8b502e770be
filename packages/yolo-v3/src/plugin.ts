import type { Plugin } from '@yolo-distill/core';
import { yoloV3Model } from './model-descriptor.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const yoloV3Plugin: Plugin = { meta: { name: '@yolo-distill/yolo-v3', version: '0.1.0' }, descriptors: [yoloV3Model] };
