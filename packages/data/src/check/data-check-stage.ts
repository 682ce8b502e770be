import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseWith, type DatasetSource, type PluginDescriptor, type Split, type Stage, type StageContext } from '@yolo-distill/core';
import { z } from 'zod';
import type { ImageVerification } from '../image-decode.js';
import { DatasetProblemsError } from '../invalid-policy.js';
import { DATA_YAML } from '../yolo-data-yaml.js';
import { YoloDataset } from '../yolo/yolo-dataset.js';
import { checkDatasetSource } from './check-dataset-source.js';
import { checkYoloDataset } from './check-yolo-dataset.js';
import { formatDataCheck, formatProblems, SPLITS, SplitTally, type DataCheckReport, type SplitCounts } from './data-check-report.js';

export const dataCheckSchema = z.strictObject({
  /** Fail the stage (and the run) when a problem is found; `false` only reports. */
  failOnProblems: z.boolean().default(true),
  /** How much of each image to read, as `yolo-distill data check --images`: a full decode finds truncated files. */
  images: z.enum(['decode', 'header', 'none']).default('decode'),
});

export type DataCheckConfig = z.output<typeof dataCheckSchema>;

/** The file the stage writes into the run folder. */
export const DATA_CHECK_FILE = 'data-check.json';

/**
 * Checks the pipeline's dataset: YOLO folders (a YoloDataset, or a `data.yaml` in the dataset's root)
 * through their label files, any other dataset by loading every sample. A dataset whose `prepare()`
 * refuses its problems (invalid: error) is still reported, with those problems.
 */
export async function checkDataset(data: DatasetSource, images: ImageVerification = 'decode'): Promise<DataCheckReport> {
  const yamlFile = data instanceof YoloDataset ? data.info.file : existsSync(join(data.root, DATA_YAML)) ? join(data.root, DATA_YAML) : undefined;
  try {
    await data.prepare();
  } catch (error) {
    if (!(error instanceof DatasetProblemsError)) throw error;
    if (yamlFile === undefined) return { root: data.root, classNames: data.classNames, splits: emptySplits(data.classNames), problems: error.problems };
  }
  if (yamlFile === undefined) return checkDatasetSource(data);
  return checkYoloDataset(yamlFile, { classNames: data.classNames, verifyImages: images });
}

function emptySplits(classNames: readonly string[]): Record<Split, SplitCounts> {
  const counts = new SplitTally(classNames).counts();
  return { train: counts, val: counts };
}

/** The `data.Check` stage: prepares and checks the pipeline's dataset, reports, and fails on problems. */
export class DataCheckStage implements Stage {
  readonly name = 'data.Check';

  constructor(private readonly config: DataCheckConfig) {}

  async run(context: StageContext): Promise<void> {
    const data = context.models.data;
    if (!data) throw new Error(`data.Check needs the pipeline's dataset, but the pipeline has no 'data:' entry (add e.g. data: { type: data.Shapes })`);
    const report = await checkDataset(data, this.config.images);
    await context.folder.writeJson(DATA_CHECK_FILE, report);
    for (const split of SPLITS) {
      const counts = report.splits[split];
      for (const [name, value] of [
        ['images', counts.images],
        ['objects', counts.objects],
        ['background', counts.background],
      ] as const) {
        context.events.emit({ type: 'metric', stage: context.index, name: `${split}.${name}`, value });
      }
    }
    context.events.emit({ type: 'metric', stage: context.index, name: 'problems', value: report.problems.length });
    // The problems are printed once: by the error when they fail the stage, else in the log.
    const failing = report.problems.length > 0 && this.config.failOnProblems;
    const text = formatDataCheck(report, failing ? 0 : 20);
    for (const line of text.split('\n')) context.logger.info(line);
    if (failing) {
      const listed = formatProblems(report.problems).join('\n');
      throw new Error(`data check of ${report.root} failed: ${listed}\n(all in ${context.folder.path(DATA_CHECK_FILE)}; set failOnProblems: false to continue anyway)`);
    }
  }
}

export const dataCheckStage: PluginDescriptor<DataCheckConfig, Stage> = {
  type: 'data.Check',
  kind: 'stage',
  summary: "counts images, objects and classes of the pipeline's dataset and fails on bad labels",
  schema: dataCheckSchema,
  parse: (raw, at) => parseWith(dataCheckSchema, raw, at),
  create: (config) => new DataCheckStage(config),
};
