import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DatasetSource, GroundTruth, Logger, Sample, Split } from '@yolo-distill/core';
import { readImageSize } from '../image-decode.js';
import { ImageCache } from '../image-cache.js';
import { applyInvalidPolicy, type InvalidPolicy } from '../invalid-policy.js';
import { decodeRgb, letterboxLabels, letterboxRgb, rgbToFloat, type LetterboxTransform, type RgbBytes } from '../letterbox.js';
import { toLabelRows, type LabelProblem } from '../yolo-labels.js';
import { cocoClasses, cocoLabels, indexCocoInstances, splitByFraction, type CocoImageRecord } from './coco-index.js';
import { parseCocoInstances, readJsonFile, type CocoCategory, type CocoImage } from './coco-json.js';

/** One split from its own file: the instances JSON and the folder its `file_name`s are relative to. */
export interface CocoSplitFiles {
  readonly annotations: string;
  readonly images: string;
}

/** Val carved out of the train file: `round(n * fraction)` images chosen by a seeded shuffle. */
export interface CocoValFraction {
  readonly fraction: number;
  /** Default 0. */
  readonly seed?: number;
}

export interface CocoDatasetOptions {
  readonly train: CocoSplitFiles;
  readonly val: CocoSplitFiles | CocoValFraction;
  /** Side of the square images samples are letterboxed to. Default 640. */
  readonly imageSize?: number;
  /** Bad annotations and images: fail `prepare()` ('error', default) or drop them with a warning ('skip'). */
  readonly invalid?: InvalidPolicy;
  /** Memory for decoded, letterboxed images in MB; 0 (default) = no cache. */
  readonly cache?: number;
  /** How `prepare()` checks images: their header (default, fast) or a full decode (finds truncated files). */
  readonly verifyImages?: 'header' | 'decode';
  readonly logger?: Logger;
}

interface LoadedSplit {
  readonly folder: string;
  readonly file: string;
  readonly records: readonly CocoImageRecord[];
}

interface Entry {
  readonly record: CocoImageRecord;
  readonly path: string;
}

const SPLITS: readonly Split[] = ['train', 'val'];

/**
 * A COCO instances dataset as a DatasetSource. Categories (arbitrary ids) become classes 0..n-1 in
 * id order; boxes `[x, y, w, h]` (pixels) become normalised YOLO rows of the letterboxed image; crowd
 * annotations are kept (see `groundTruth`) but are not training labels. `open()` reads the JSON
 * files (so class names are known when models are built); `prepare()` checks every image and
 * applies the `invalid` policy to the annotations and images found bad.
 */
export class CocoDataset implements DatasetSource {
  readonly name = 'coco';
  readonly imageSize: number;
  readonly invalid: InvalidPolicy;
  private readonly cache: ImageCache;
  private entries: Record<Split, readonly Entry[]> | undefined;
  private preparing: Promise<void> | undefined;

  /** Reads and checks the instances file(s); throws for files that are not COCO JSON at all. */
  static async open(options: CocoDatasetOptions): Promise<CocoDataset> {
    const trainFile = resolve(options.train.annotations);
    const valFiles = 'annotations' in options.val ? { annotations: resolve(options.val.annotations), images: resolve(options.val.images) } : undefined;
    const root = commonFolder([dirname(trainFile), resolve(options.train.images), ...(valFiles ? [dirname(valFiles.annotations), valFiles.images] : [])]);
    const name = (path: string): string => relative(root, path) || path;

    const train = parseCocoInstances(await readJsonFile(trainFile, name(trainFile)), name(trainFile));
    const classes = cocoClasses(train.instances.categories);
    const trainIndex = indexCocoInstances(train.instances, classes, name(trainFile));
    const problems: LabelProblem[] = [...train.problems, ...trainIndex.problems];
    const dropped = { images: train.dropped.images, objects: train.dropped.annotations + trainIndex.dropped };
    const splits = {} as Record<Split, LoadedSplit>;
    if (valFiles) {
      const val = parseCocoInstances(await readJsonFile(valFiles.annotations, name(valFiles.annotations)), name(valFiles.annotations));
      const mismatch = categoriesMismatch(train.instances.categories, val.instances.categories);
      if (mismatch) throw new Error(`${name(valFiles.annotations)}: categories differ from ${name(trainFile)}: ${mismatch}`);
      const valIndex = indexCocoInstances(val.instances, classes, name(valFiles.annotations));
      problems.push(...val.problems, ...valIndex.problems);
      dropped.images += val.dropped.images;
      dropped.objects += val.dropped.annotations + valIndex.dropped;
      splits.train = { folder: resolve(options.train.images), file: name(trainFile), records: trainIndex.records };
      splits.val = { folder: valFiles.images, file: name(valFiles.annotations), records: valIndex.records };
    } else {
      const fraction = options.val as CocoValFraction;
      const parts = splitByFraction(trainIndex.records, fraction.fraction, fraction.seed ?? 0);
      splits.train = { folder: resolve(options.train.images), file: name(trainFile), records: parts.train };
      splits.val = { folder: resolve(options.train.images), file: name(trainFile), records: parts.val };
    }
    return new CocoDataset(root, classes.classNames, splits, { problems, dropped }, options);
  }

  private constructor(
    readonly root: string,
    readonly classNames: readonly string[],
    private readonly splits: Record<Split, LoadedSplit>,
    private readonly found: { readonly problems: readonly LabelProblem[]; readonly dropped: { readonly images: number; readonly objects: number } },
    private readonly options: CocoDatasetOptions,
  ) {
    this.imageSize = options.imageSize ?? 640;
    this.invalid = options.invalid ?? 'error';
    this.cache = new ImageCache(options.cache ?? 0);
    if (!Number.isInteger(this.imageSize) || this.imageSize < 1) throw new RangeError(`COCO dataset ${root}: imgsz must be a positive integer, got ${this.imageSize}`);
  }

  /** Checks every image once; later calls wait for the first one (a failed one may be retried). */
  prepare(): Promise<void> {
    this.preparing ??= this.load().catch((error: unknown) => {
      this.preparing = undefined;
      throw error;
    });
    return this.preparing;
  }

  private async load(): Promise<void> {
    const problems = [...this.found.problems];
    let droppedImages = this.found.dropped.images;
    let droppedObjects = this.found.dropped.objects;
    const entries = {} as Record<Split, Entry[]>;
    for (const split of SPLITS) {
      const { folder, file, records } = this.splits[split];
      entries[split] = [];
      for (let start = 0; start < records.length; start += 64) {
        const batch = records.slice(start, start + 64);
        const checked = await Promise.all(batch.map((record) => this.checkImage(record, folder, file)));
        for (const [i, problem] of checked.entries()) {
          const record = batch[i] as CocoImageRecord;
          if (problem) {
            problems.push(problem);
            droppedImages++;
            droppedObjects += record.objects.filter((object) => !object.crowd).length;
          } else {
            entries[split].push({ record, path: join(folder, record.image.fileName) });
          }
        }
      }
    }
    applyInvalidPolicy(this.invalid, `COCO dataset ${this.root}`, problems, { images: droppedImages, objects: droppedObjects }, this.options.logger);
    this.entries = entries;
    const counts = SPLITS.map((split) => `${split} ${entries[split].length} images, ${entries[split].reduce((sum, entry) => sum + cocoLabels(entry.record).length, 0)} objects`);
    this.options.logger?.info(`COCO dataset ${this.root}: ${counts.join('; ')}; ${this.classNames.length} classes; letterboxed to ${this.imageSize}`);
  }

  private async checkImage(record: CocoImageRecord, folder: string, file: string): Promise<LabelProblem | undefined> {
    const path = join(folder, record.image.fileName);
    const name = relative(this.root, path);
    const { width, height, id } = record.image;
    try {
      const size = await readImageSize(path, this.options.verifyImages ?? 'header');
      if (size.width !== width || size.height !== height) {
        return { file: name, message: `image is ${size.width}x${size.height} but ${file} says ${width}x${height} (image ${id})` };
      }
      return undefined;
    } catch (error) {
      if (!existsSync(path)) return { file: name, message: `image file not found (image ${id} of ${file})` };
      return { file: name, message: `cannot read image: ${(error as Error).message}` };
    }
  }

  private entriesOf(split: Split): readonly Entry[] {
    if (!this.entries) throw new Error(`the COCO dataset at ${this.root} is not prepared: call prepare() first`);
    return this.entries[split];
  }

  private entryAt(split: Split, index: number): Entry {
    const entries = this.entriesOf(split);
    const entry = entries[index];
    if (!Number.isInteger(index) || entry === undefined) throw new RangeError(`${split} sample ${index} is out of range 0..${entries.length - 1} in ${this.root}`);
    return entry;
  }

  size(split: Split): number {
    return this.entriesOf(split).length;
  }

  /** The COCO image entry of a sample (id, file name, size), e.g. to write detections as COCO results. */
  image(split: Split, index: number): CocoImage {
    return this.entryAt(split, index).record.image;
  }

  /** Every object of a sample's image, crowd regions flagged, as `[x1, y1, x2, y2]` pixels of the original image. */
  groundTruth(split: Split, index: number): GroundTruth[] {
    return this.entryAt(split, index).record.objects.map((object) => ({ box: object.box, cls: object.cls, crowd: object.crowd }));
  }

  async sample(split: Split, index: number): Promise<Sample> {
    const entry = this.entryAt(split, index);
    const { pixels, transform } = await this.letterboxed(split, index, entry);
    return { image: rgbToFloat(pixels), labels: letterboxLabels(toLabelRows(cocoLabels(entry.record)), transform), source: entry.path };
  }

  private async letterboxed(split: Split, index: number, entry: Entry): Promise<{ pixels: RgbBytes; transform: LetterboxTransform }> {
    const key = `${split}/${index}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const decoded = await decodeRgb(entry.path);
    const { width, height } = entry.record.image;
    if (decoded.width !== width || decoded.height !== height) {
      throw new Error(`${entry.path}: image is ${decoded.width}x${decoded.height} but its annotations are for ${width}x${height} (image ${entry.record.image.id})`);
    }
    const result = await letterboxRgb(decoded, this.imageSize);
    if (this.cache.enabled) this.cache.add(key, result);
    return result;
  }

  /** Bytes held by the image cache. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }
}

function categoriesMismatch(a: readonly CocoCategory[], b: readonly CocoCategory[]): string | undefined {
  const text = (categories: readonly CocoCategory[]): string =>
    [...categories]
      .sort((x, y) => x.id - y.id)
      .map((category) => `${category.id}:${category.name}`)
      .join(', ');
  return text(a) === text(b) ? undefined : `[${text(b)}] vs [${text(a)}]`;
}

/** The deepest folder holding all of `paths` (absolute). */
export function commonFolder(paths: readonly string[]): string {
  const split = paths.map((path) => resolve(path).split(sep));
  const first = split[0] ?? [];
  let length = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < length && i < parts.length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join(sep) || sep;
}
