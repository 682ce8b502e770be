import type { Plugin } from '@yolo-distill/core';
import { yoloV7Model } from './model-descriptor.js';

/** The package's plugin object; the CLI hands it to the registry. */
export const yoloV7Plugin: Plugin = { meta: { name: '@yolo-distill/yolo-v7', version: '0.1.0' }, descriptors: [yoloV7Model] };
