import type { Plugin } from '@yolo-distill/core';
import { yoloV5Model } from './model-descriptor.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const yoloV5Plugin: Plugin = { meta: { name: '@yolo-distill/yolo-v5', version: '0.1.0' }, descriptors: [yoloV5Model] };
