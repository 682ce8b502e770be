import { resolve } from 'node:path';
import { LOGGER, parseWith, type DatasetSource, type Logger, type PluginDescriptor } from '@yolo-distill/core';
import { z } from 'zod';
import { datasetSettingsSchema } from '../dataset-settings.js';
import { YoloDataset } from './yolo-dataset.js';

/** The YAML of `data.YoloDataset`. */
export const yoloDatasetSchema = datasetSettingsSchema.extend({
  /** The dataset folder holding data.yaml, or the dataset YAML itself; relative to the working directory. */
  root: z.string().min(1),
});

export type YoloDatasetConfig = z.output<typeof yoloDatasetSchema>;

/**
 * `data.YoloDataset`: a dataset in Ultralytics' YOLO layout. `create` reads its YAML (class names are
 * then known to the models); the run's `prepare()` reads labels and checks images.
 */
export const yoloDataset: PluginDescriptor<YoloDatasetConfig, DatasetSource> = {
  type: 'data.YoloDataset',
  kind: 'dataset',
  summary: 'a YOLO folder (data.yaml, images/, labels/), letterboxed to imgsz',
  schema: yoloDatasetSchema,
  parse: (raw, at) => parseWith(yoloDatasetSchema, raw, at),
  create(config, context) {
    const logger = context.container.isRegistered(LOGGER, true) ? context.container.resolve<Logger>(LOGGER) : undefined;
    return YoloDataset.open(resolve(config.root), { imageSize: config.imgsz, invalid: config.invalid, cache: config.cache, ...(logger ? { logger } : {}) });
  },
};
