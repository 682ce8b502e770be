import type { Plugin } from '@yolo-distill/core';
import { yoloV8Model } from './model-descriptor.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const yoloV8Plugin: Plugin = { meta: { name: '@yolo-distill/yolo-v8', version: '0.1.0' }, descriptors: [yoloV8Model] };
