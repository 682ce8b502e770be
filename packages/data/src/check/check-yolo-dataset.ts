import { relative } from 'node:path';
import type { Split } from '@yolo-distill/core';
import type { ImageVerification } from '../image-decode.js';
import { indexYoloDataset, type YoloIndex } from '../yolo/yolo-index.js';
import { SPLITS, SplitTally, type DataCheckReport, type SplitCounts } from './data-check-report.js';

export interface YoloCheckOptions {
  /** Class names the caller expects (a dataset plugin's); a different `names` in data.yaml is a problem. */
  readonly classNames?: readonly string[];
  /** How much of each image to read: nothing (default: labels only), its header, or a full decode. */
  readonly verifyImages?: ImageVerification;
}

/**
 * Counts images and objects per split of a YOLO folder (`root` holds data.yaml, or is the YAML file)
 * and lists its problems: bad label lines (with file and line), label files without an image, a split
 * missing from data.yaml or on disk, and with `verifyImages` images that cannot be read. Throws only
 * when the folder is not a YOLO dataset at all (no readable data.yaml). Problem files are relative to
 * the dataset root (data.yaml's `path`), which is the report's `root`.
 */
export async function checkYoloDataset(root: string, options: YoloCheckOptions = {}): Promise<DataCheckReport> {
  return reportOfIndex(await indexYoloDataset(root, options));
}

/** Counts of an index: every image file counts, with the objects of its good label lines. */
export function reportOfIndex(index: YoloIndex): DataCheckReport {
  const classNames = index.info.names;
  const splits = {} as Record<Split, SplitCounts>;
  for (const split of SPLITS) {
    const tally = new SplitTally(classNames);
    for (const record of index.splits[split].images) {
      tally.add(
        record.boxes.map((box) => box.cls),
        record.missingLabels,
      );
    }
    splits[split] = tally.counts();
  }
  // A train folder that is missing is reported as such already.
  const trainMissing = index.problems.some((problem) => problem.message.startsWith('train images folder'));
  const empty = splits.train.images === 0 && !trainMissing ? [{ file: relative(index.info.root, index.info.file) || index.info.file, message: 'the train split has no images: nothing to train on' }] : [];
  return { root: index.info.root, classNames, splits, problems: [...index.problems, ...empty] };
}
