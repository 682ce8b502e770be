import { resolve } from 'node:path';
import { LOGGER, parseWith, type DatasetSource, type Logger, type PluginDescriptor } from '@yolo-distill/core';
import { z } from 'zod';
import { ShapesDataset } from './shapes-dataset.js';
import { optionsFromConfig, shapesOptionsSchema, type ShapesOptions } from './shapes-options.js';

/** The YAML of `data.Shapes`: where the folder lives, and the generator's options. */
export const shapesDatasetSchema = shapesOptionsSchema.extend({
  /** The dataset folder, relative to the working directory (like `runs`). */
  root: z.string().min(1).default('datasets/shapes'),
});

export interface ShapesDatasetConfig {
  readonly root: string;
  readonly options: ShapesOptions;
}

/**
 * `data.Shapes`: the synthetic shapes dataset, generated on first use into `root` and shared by
 * every run with the same options. Its seed is its own (default 0), not the run's, so that runs
 * with different seeds still train and evaluate on the same images.
 */
export const shapesDataset: PluginDescriptor<ShapesDatasetConfig, DatasetSource> = {
  type: 'data.Shapes',
  kind: 'dataset',
  summary: 'synthetic coloured shapes on textured backgrounds, generated offline into a YOLO folder',
  parse(raw, at) {
    const config = parseWith(shapesDatasetSchema, raw, at);
    return { root: config.root, options: optionsFromConfig(config) };
  },
  create(config, context) {
    const logger = context.container.isRegistered(LOGGER, true) ? context.container.resolve<Logger>(LOGGER) : undefined;
    return new ShapesDataset(resolve(config.root), config.options, logger);
  },
};
