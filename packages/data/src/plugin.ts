import type { Plugin } from '@yolo-distill/core';
import { dataCheckStage } from './check/data-check-stage.js';
import { cocoDataset } from './coco/coco-dataset-descriptor.js';
import { shapesDataset } from './shapes/shapes-descriptor.js';
import { yoloDataset } from './yolo/yolo-dataset-descriptor.js';

/** Matches package.json (a test checks it). */
export const DATA_PACKAGE_VERSION = '0.1.0';

/** The package's plugin object; the CLI hands it to the registry. */
export const dataPlugin: Plugin = {
  meta: { name: '@yolo-distill/data', version: DATA_PACKAGE_VERSION },
  descriptors: [shapesDataset, yoloDataset, cocoDataset, dataCheckStage],
};
