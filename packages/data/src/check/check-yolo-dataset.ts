import { dirname, join, relative } from 'node:path';
import type { Split } from '@yolo-distill/core';
import { readDataYaml } from '../yolo-data-yaml.js';
import { isImageFile, labelPathFor, listFolderSorted } from '../yolo-folder.js';
import { readYoloLabels, type LabelProblem } from '../yolo-labels.js';
import { SPLITS, SplitTally, type DataCheckReport, type SplitCounts } from './data-check-report.js';

/** Label files read at once. */
const READ_BATCH = 64;

export interface YoloCheckOptions {
  /** Class names the caller expects (a dataset plugin's); a different `names` in data.yaml is a problem. */
  readonly classNames?: readonly string[];
}

/**
 * Counts images and objects per split of a YOLO folder (`data.yaml`, `images/<split>`,
 * `labels/<split>`) and lists its problems: bad label lines (with file and line), label files without
 * an image, a split missing from data.yaml or on disk. Images are not decoded. Throws only when the
 * folder is not a YOLO dataset at all (no readable data.yaml). Problem files are relative to `root`.
 */
export async function checkYoloDataset(root: string, options: YoloCheckOptions = {}): Promise<DataCheckReport> {
  const info = await readDataYaml(root);
  const classNames = info.names;
  const problems: LabelProblem[] = [];
  const name = (path: string): string => relative(root, path) || '.';
  if (options.classNames && options.classNames.join('\n') !== classNames.join('\n')) {
    problems.push({ file: name(info.file), message: `names are [${classNames.join(', ')}] but the dataset plugin expects [${options.classNames.join(', ')}]` });
  }
  const splits = {} as Record<Split, SplitCounts>;
  for (const split of SPLITS) {
    const tally = new SplitTally(classNames);
    const folder = info.splits[split];
    if (folder === undefined) {
      problems.push({ file: name(info.file), message: `no '${split}' entry` });
    } else {
      const entries = await listFolderSorted(folder);
      if (entries === undefined) problems.push({ file: name(folder), message: `${split} images folder not found` });
      const images = (entries ?? []).filter(isImageFile).map((entry) => join(folder, entry));
      for (let start = 0; start < images.length; start += READ_BATCH) {
        const batch = images.slice(start, start + READ_BATCH);
        const read = await Promise.all(batch.map((image) => readYoloLabels(labelPathFor(image), { file: name(labelPathFor(image)), numClasses: classNames.length })));
        for (const labels of read) {
          tally.add(
            labels.boxes.map((box) => box.cls),
            labels.missing,
          );
          problems.push(...labels.problems);
        }
      }
      problems.push(...(await orphanLabels(images, folder, name)));
    }
    splits[split] = tally.counts();
  }
  return { root, classNames, splits, problems };
}

/** Label files in the split's labels folder that belong to no image. */
async function orphanLabels(images: readonly string[], imageFolder: string, name: (path: string) => string): Promise<LabelProblem[]> {
  const labelFolder = dirname(labelPathFor(join(imageFolder, 'x.png')));
  if (labelFolder === imageFolder) return [];
  const expected = new Set(images.map(labelPathFor));
  const entries = (await listFolderSorted(labelFolder)) ?? [];
  return entries
    .filter((entry) => entry.endsWith('.txt'))
    .map((entry) => join(labelFolder, entry))
    .filter((path) => !expected.has(path))
    .map((path) => ({ file: name(path), message: 'label file without an image' }));
}
