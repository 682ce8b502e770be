import type { DatasetSource, Logger, Sample, Split } from '@yolo-distill/core';
import { ImageCache } from '../image-cache.js';
import { applyInvalidPolicy, type InvalidPolicy } from '../invalid-policy.js';
import { decodeRgb, letterboxLabels, letterboxRgb, rgbToFloat, type LetterboxTransform, type RgbBytes } from '../letterbox.js';
import { readDataYaml, type DataYamlInfo } from '../yolo-data-yaml.js';
import { toLabelRows, type YoloBox } from '../yolo-labels.js';
import { indexYoloDataset } from './yolo-index.js';

export interface YoloDatasetOptions {
  /** Side of the square images samples are letterboxed to (Ultralytics' `imgsz`). Default 640. */
  readonly imageSize?: number;
  /** Bad label lines, unreadable images, label files without an image: fail `prepare()` ('error', default) or drop them with a warning ('skip'). */
  readonly invalid?: InvalidPolicy;
  /** Memory for decoded, letterboxed images in MB; 0 (default) = no cache. */
  readonly cache?: number;
  /** How `prepare()` checks images: their header (default, fast) or a full decode (finds truncated files). */
  readonly verifyImages?: 'header' | 'decode';
  /** Where the skip warning and the summary go; stderr when not given. */
  readonly logger?: Logger;
}

interface ImageEntry {
  readonly image: string;
  readonly boxes: readonly YoloBox[];
}

const SPLITS: readonly Split[] = ['train', 'val'];

/**
 * A YOLO folder (`data.yaml`, `images/<split>`, `labels/<split>`) as a DatasetSource: images of any
 * size and format sharp reads, letterboxed to `imageSize`, labels moved with them. `open()` reads
 * data.yaml (so class names are known when models are built); `prepare()` reads every label file,
 * checks every image's header and applies the `invalid` policy. An empty label file, or none, is an
 * image without objects.
 */
export class YoloDataset implements DatasetSource {
  readonly name = 'yolo';
  readonly root: string;
  readonly classNames: readonly string[];
  readonly imageSize: number;
  readonly invalid: InvalidPolicy;
  private readonly cache: ImageCache;
  private entries: Record<Split, readonly ImageEntry[]> | undefined;
  private preparing: Promise<void> | undefined;

  /** Reads data.yaml at `location` (the dataset folder, or the YAML file). */
  static async open(location: string, options: YoloDatasetOptions = {}): Promise<YoloDataset> {
    return new YoloDataset(await readDataYaml(location), options);
  }

  constructor(
    readonly info: DataYamlInfo,
    private readonly options: YoloDatasetOptions = {},
  ) {
    this.root = info.root;
    this.classNames = info.names;
    this.imageSize = options.imageSize ?? 640;
    this.invalid = options.invalid ?? 'error';
    this.cache = new ImageCache(options.cache ?? 0);
    if (!Number.isInteger(this.imageSize) || this.imageSize < 1) throw new RangeError(`YOLO dataset ${this.root}: imgsz must be a positive integer, got ${this.imageSize}`);
  }

  /** Reads and checks the folder once; later calls wait for the first one (a failed one may be retried). */
  prepare(): Promise<void> {
    this.preparing ??= this.load().catch((error: unknown) => {
      this.preparing = undefined;
      throw error;
    });
    return this.preparing;
  }

  private async load(): Promise<void> {
    const index = await indexYoloDataset(this.info.file, { verifyImages: this.options.verifyImages ?? 'header' });
    let droppedImages = 0;
    let droppedObjects = 0;
    const entries = {} as Record<Split, ImageEntry[]>;
    for (const split of SPLITS) {
      entries[split] = [];
      for (const record of index.splits[split].images) {
        droppedObjects += record.labelProblems.length;
        if (record.imageProblem) {
          droppedImages += 1;
          droppedObjects += record.boxes.length;
          continue;
        }
        entries[split].push({ image: record.image, boxes: record.boxes });
      }
    }
    applyInvalidPolicy(this.invalid, `YOLO dataset ${this.root}`, index.problems, { images: droppedImages, objects: droppedObjects }, this.options.logger);
    this.entries = entries;
    const counts = SPLITS.map((split) => `${split} ${entries[split].length} images, ${entries[split].reduce((sum, entry) => sum + entry.boxes.length, 0)} objects`);
    this.options.logger?.info(`YOLO dataset ${this.root}: ${counts.join('; ')}; ${this.classNames.length} classes; letterboxed to ${this.imageSize}`);
  }

  private entriesOf(split: Split): readonly ImageEntry[] {
    if (!this.entries) throw new Error(`the YOLO dataset at ${this.root} is not prepared: call prepare() first`);
    return this.entries[split];
  }

  size(split: Split): number {
    return this.entriesOf(split).length;
  }

  /** The image file of a sample. */
  imageFile(split: Split, index: number): string {
    return this.entryAt(split, index).image;
  }

  async sample(split: Split, index: number): Promise<Sample> {
    const entry = this.entryAt(split, index);
    const { pixels, transform } = await this.letterboxed(split, index, entry.image);
    return { image: rgbToFloat(pixels), labels: letterboxLabels(toLabelRows(entry.boxes), transform), source: entry.image };
  }

  private entryAt(split: Split, index: number): ImageEntry {
    const entries = this.entriesOf(split);
    const entry = entries[index];
    if (!Number.isInteger(index) || entry === undefined) throw new RangeError(`${split} sample ${index} is out of range 0..${entries.length - 1} in ${this.root}`);
    return entry;
  }

  private async letterboxed(split: Split, index: number, file: string): Promise<{ pixels: RgbBytes; transform: LetterboxTransform }> {
    const key = `${split}/${index}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = await letterboxRgb(await decodeRgb(file), this.imageSize);
    if (this.cache.enabled) this.cache.add(key, result);
    return result;
  }

  /** Bytes held by the image cache. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }
}
