import { dirname, join, relative } from 'node:path';
import type { Split } from '@yolo-distill/core';
import { readImageSize, type ImageVerification } from '../image-decode.js';
import { readDataYaml, type DataYamlInfo } from '../yolo-data-yaml.js';
import { isImageFile, labelPathFor, listFilesRecursive } from '../yolo-folder.js';
import { readYoloLabels, type LabelProblem, type YoloBox } from '../yolo-labels.js';

/** One image of a YOLO folder with what its label file holds. */
export interface YoloImageRecord {
  /** Absolute path of the image. */
  readonly image: string;
  /** Absolute path of its label file (which may not exist). */
  readonly labelFile: string;
  /** The objects of the label file's good lines. */
  readonly boxes: readonly YoloBox[];
  /** No label file: a background image, as in Ultralytics. */
  readonly missingLabels: boolean;
  /** Bad lines of the label file (each left out of `boxes`). */
  readonly labelProblems: readonly LabelProblem[];
  /** Set when the image cannot be read; the image is unusable. */
  readonly imageProblem?: LabelProblem;
}

export interface YoloSplitIndex {
  /** The split's images folder, when data.yaml names one. */
  readonly folder?: string;
  readonly images: readonly YoloImageRecord[];
}

/** A YOLO folder read once: data.yaml, every image with its labels, and the problems found. */
export interface YoloIndex {
  readonly info: DataYamlInfo;
  readonly splits: Readonly<Record<Split, YoloSplitIndex>>;
  /**
   * Every problem in a stable order: the names check, then per split its missing entry or folder,
   * each image's problems in file order, and its label files without an image.
   */
  readonly problems: readonly LabelProblem[];
}

export interface YoloIndexOptions {
  /** Class names the caller expects (a dataset plugin's); a different `names` in data.yaml is a problem. */
  readonly classNames?: readonly string[];
  /** How much of each image to read: nothing (labels only), its header, or a full decode. Default 'none'. */
  readonly verifyImages?: ImageVerification;
}

const SPLITS: readonly Split[] = ['train', 'val'];
/** Files read at once. */
const READ_BATCH = 64;

/**
 * Reads a YOLO folder (`location` is the folder holding data.yaml or the YAML file): lists the images
 * of each split (at any depth, sorted), reads their label files (`/images/` -> `/labels/`, `.txt`),
 * optionally checks that every image can be read, and collects every problem with its file (relative
 * to the dataset root) and line. Throws only when data.yaml cannot be read.
 */
export async function indexYoloDataset(location: string, options: YoloIndexOptions = {}): Promise<YoloIndex> {
  const info = await readDataYaml(location);
  const verification = options.verifyImages ?? 'none';
  const name = (path: string): string => relative(info.root, path) || '.';
  const problems: LabelProblem[] = [];
  if (options.classNames && options.classNames.join('\n') !== info.names.join('\n')) {
    problems.push({ file: name(info.file), message: `names are [${info.names.join(', ')}] but the dataset plugin expects [${options.classNames.join(', ')}]` });
  }
  const splits = {} as Record<Split, YoloSplitIndex>;
  for (const split of SPLITS) {
    const folder = info.splits[split];
    if (folder === undefined) {
      problems.push({ file: name(info.file), message: `no '${split}' entry` });
      splits[split] = { images: [] };
      continue;
    }
    const files = await listFilesRecursive(folder, isImageFile);
    if (files === undefined) problems.push({ file: name(folder), message: `${split} images folder not found` });
    const images: YoloImageRecord[] = [];
    for (let start = 0; start < (files ?? []).length; start += READ_BATCH) {
      const batch = (files ?? []).slice(start, start + READ_BATCH);
      images.push(...(await Promise.all(batch.map((image) => readRecord(image, info.names.length, verification, name)))));
    }
    for (const record of images) {
      if (record.imageProblem) problems.push(record.imageProblem);
      problems.push(...record.labelProblems);
    }
    problems.push(...(await orphanLabels(images, folder, name)));
    splits[split] = { folder, images };
  }
  return { info, splits, problems };
}

async function readRecord(image: string, numClasses: number, verification: ImageVerification, name: (path: string) => string): Promise<YoloImageRecord> {
  const labelFile = labelPathFor(image);
  const [labels, imageProblem] = await Promise.all([readYoloLabels(labelFile, { file: name(labelFile), numClasses }), verifyImage(image, verification, name)]);
  return {
    image,
    labelFile,
    boxes: labels.boxes,
    missingLabels: labels.missing,
    labelProblems: labels.problems,
    ...(imageProblem ? { imageProblem } : {}),
  };
}

async function verifyImage(image: string, verification: ImageVerification, name: (path: string) => string): Promise<LabelProblem | undefined> {
  if (verification === 'none') return undefined;
  try {
    await readImageSize(image, verification);
    return undefined;
  } catch (error) {
    return { file: name(image), message: `cannot read image: ${(error as Error).message}` };
  }
}

/** Label files in the split's labels folder (at any depth) that belong to no image. */
async function orphanLabels(images: readonly YoloImageRecord[], imageFolder: string, name: (path: string) => string): Promise<LabelProblem[]> {
  const labelFolder = dirname(labelPathFor(join(imageFolder, 'x.png')));
  if (labelFolder === imageFolder) return [];
  const expected = new Set(images.map((record) => record.labelFile));
  const labels = (await listFilesRecursive(labelFolder, (entry) => entry.endsWith('.txt'))) ?? [];
  return labels.filter((path) => !expected.has(path)).map((path) => ({ file: name(path), message: 'label file without an image' }));
}
