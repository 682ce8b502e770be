import type { DatasetSource } from '@yolo-distill/core';
import { YoloLabelError, type LabelProblem } from '../yolo-labels.js';
import { SPLITS, SplitTally, type DataCheckReport, type SplitCounts } from './data-check-report.js';

/**
 * Counts any prepared DatasetSource by reading every sample (images are decoded, so this is slower
 * than `checkYoloDataset`); a sample that fails to load becomes a problem instead of stopping the check.
 */
export async function checkDatasetSource(source: DatasetSource): Promise<DataCheckReport> {
  const problems: LabelProblem[] = [];
  const splits = {} as Record<(typeof SPLITS)[number], SplitCounts>;
  for (const split of SPLITS) {
    const tally = new SplitTally(source.classNames);
    const size = source.size(split);
    for (let index = 0; index < size; index++) {
      try {
        const { labels } = await source.sample(split, index);
        tally.add(Array.from({ length: labels.count }, (_, row) => labels.rows[row * 5] as number));
      } catch (error) {
        if (error instanceof YoloLabelError) problems.push(...error.problems);
        else problems.push({ file: `${split}[${index}]`, message: error instanceof Error ? error.message : String(error) });
      }
    }
    splits[split] = tally.counts();
  }
  return { root: source.root, classNames: source.classNames, splits, problems };
}
