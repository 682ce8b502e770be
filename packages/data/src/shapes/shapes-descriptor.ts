import { resolve } from 'node:path';
import { LOGGER, parseWith, type DatasetSource, type Logger, type PluginDescriptor } from '@yolo-distill/core';
import { z } from 'zod';
import { ShapesDataset } from './shapes-dataset.js';
import { optionsFromConfig, shapesOptionsSchemaFor, variantOf, type ShapesOptions } from './shapes-options.js';
import type { ShapesVariant } from './shape-variants.js';

/** The dataset folder, relative to the working directory (like `runs`). */
const rootSchema = z.string().min(1).default('datasets/shapes');

/** Replace a folder generated with other settings (off: that is an error, since other runs may use those images). */
const regenerateSchema = z.boolean().default(false);

const SCHEMAS = {
  classic: shapesOptionsSchemaFor('classic').extend({ root: rootSchema, regenerate: regenerateSchema }),
  fine: shapesOptionsSchemaFor('fine').extend({ root: rootSchema, regenerate: regenerateSchema }),
} as const;

/** The YAML of `data.Shapes` for one variant: where the folder lives, and the generator's options. */
export function shapesDatasetSchemaFor(variant: ShapesVariant): (typeof SCHEMAS)[ShapesVariant] {
  return SCHEMAS[variant];
}

/** The classic variant's `data.Shapes` schema (what it took before variants existed). */
export const shapesDatasetSchema = SCHEMAS.classic;

export interface ShapesDatasetConfig {
  readonly root: string;
  readonly options: ShapesOptions;
  readonly regenerate: boolean;
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
  schema: SCHEMAS.classic,
  parse(raw, at) {
    const { regenerate, ...config } = parseWith(shapesDatasetSchemaFor(variantOf(raw)), raw, at);
    return { root: config.root, options: optionsFromConfig(config), regenerate };
  },
  create(config, context) {
    const logger = context.container.isRegistered(LOGGER, true) ? context.container.resolve<Logger>(LOGGER) : undefined;
    return new ShapesDataset(resolve(config.root), config.options, logger, { regenerate: config.regenerate });
  },
};
