import type { Plugin } from '@yolo-distill/core';

/** The package's plugin object; the CLI hands it to the registry. Its types arrive with the issues that build them. */
export const yoloV5Plugin: Plugin = { meta: { name: '@yolo-distill/yolo-v5', version: '0.1.0' }, descriptors: [] };
