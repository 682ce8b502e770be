import { resolve } from 'node:path';
import { LOGGER, parseWith, type DatasetSource, type Logger, type PluginDescriptor } from '@yolo-distill/core';
import { z } from 'zod';
import { datasetSettingsSchema } from '../dataset-settings.js';
import { CocoDataset, type CocoDatasetOptions } from './coco-dataset.js';

/** The YAML of `data.CocoDataset`; paths are relative to the working directory. */
export const cocoDatasetSchema = datasetSettingsSchema
  .extend({
    /** The train instances JSON. */
    train: z.string().min(1),
    /** The val instances JSON, or the fraction of the train images to hold out as val. */
    val: z.union([z.string().min(1), z.number().gt(0).lt(1)], { error: 'expected an instances JSON file or a fraction between 0 and 1 (exclusive)' }),
    /** The folder `file_name`s are relative to, or one per split (`{ train, val }`). */
    images: z.union([z.string().min(1), z.strictObject({ train: z.string().min(1), val: z.string().min(1) })], {
      error: 'expected an images folder or { train: folder, val: folder }',
    }),
    /** Seed of the val-fraction split (default 0); the split is the same on every run with the same seed. */
    splitSeed: z.int().min(0).max(0xffffffff).optional(),
  })
  .superRefine((config, context) => {
    if (typeof config.val === 'number' && typeof config.images !== 'string') {
      context.addIssue({ code: 'custom', path: ['images'], message: 'with a val fraction both splits come from the train file: give one images folder', input: config.images });
    }
    if (typeof config.val === 'string' && config.splitSeed !== undefined) {
      context.addIssue({ code: 'custom', path: ['splitSeed'], message: 'splitSeed only applies when val is a fraction', input: config.splitSeed });
    }
  });

export type CocoDatasetConfig = z.output<typeof cocoDatasetSchema>;

/** The dataset options of a parsed config, paths resolved against the working directory. */
export function cocoOptionsOf(config: CocoDatasetConfig): CocoDatasetOptions {
  const images = typeof config.images === 'string' ? { train: config.images, val: config.images } : config.images;
  return {
    train: { annotations: resolve(config.train), images: resolve(images.train) },
    val: typeof config.val === 'number' ? { fraction: config.val, seed: config.splitSeed ?? 0 } : { annotations: resolve(config.val), images: resolve(images.val) },
    imageSize: config.imgsz,
    invalid: config.invalid,
    cache: config.cache,
  };
}

/**
 * `data.CocoDataset`: COCO instances JSON files and their image folders. `create` reads the JSON
 * (class names are then known to the models); the run's `prepare()` checks the images.
 */
export const cocoDataset: PluginDescriptor<CocoDatasetConfig, DatasetSource> = {
  type: 'data.CocoDataset',
  kind: 'dataset',
  summary: 'COCO instances JSON (train/val files or a val fraction) and image folders, letterboxed to imgsz',
  schema: cocoDatasetSchema,
  parse: (raw, at) => parseWith(cocoDatasetSchema, raw, at),
  create(config, context) {
    const logger = context.container.isRegistered(LOGGER, true) ? context.container.resolve<Logger>(LOGGER) : undefined;
    return CocoDataset.open({ ...cocoOptionsOf(config), ...(logger ? { logger } : {}) });
  },
};
