import { join, relative, resolve } from 'node:path';
import type { DatasetSource, Logger, Sample, Split } from '@yolo-distill/core';
import { decodeImage } from '../image-decode.js';
import { isImageFile, labelPathFor, listFolderSorted } from '../yolo-folder.js';
import { readYoloLabels, toLabelRows, YoloLabelError } from '../yolo-labels.js';
import { ensureShapesDataset, type ShapesPreparation } from './generate-shapes.js';
import type { ShapesOptions } from './shapes-options.js';

/**
 * The synthetic shapes dataset as a DatasetSource. `prepare()` generates the YOLO folder at `root`
 * unless it already holds these options (see `ensureShapesDataset`); samples are decoded from the
 * PNG files and their label files, as any YOLO folder would be read.
 */
export class ShapesDataset implements DatasetSource {
  readonly name = 'shapes';
  readonly root: string;
  readonly classNames: readonly string[];
  readonly imageSize: number;
  /** What `prepare()` did, once it has run. */
  preparation: ShapesPreparation | undefined;
  private images: Record<Split, readonly string[]> | undefined;
  private preparing: Promise<void> | undefined;

  constructor(
    root: string,
    readonly options: ShapesOptions,
    private readonly logger?: Logger,
    /** Whether a folder generated with other settings may be replaced (the plugin's default: no; direct users: yes). */
    private readonly policy: { readonly regenerate: boolean } = { regenerate: true },
  ) {
    this.root = resolve(root);
    this.classNames = options.classes;
    this.imageSize = options.imageSize;
  }

  /** Generates or checks the folder and indexes its images; later calls wait for the first one. */
  prepare(): Promise<void> {
    this.preparing ??= this.load().catch((error: unknown) => {
      this.preparing = undefined;
      throw error;
    });
    return this.preparing;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const total = this.options.train + this.options.val;
    this.preparation = await ensureShapesDataset(this.root, this.options, this.policy);
    if (this.preparation === 'reused') this.logger?.debug(`shapes dataset: reusing ${this.root}`);
    else this.logger?.info(`shapes dataset: ${this.preparation} ${total} images at ${this.root} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    this.images = { train: await this.list('train'), val: await this.list('val') };
  }

  private async list(split: Split): Promise<string[]> {
    const folder = join(this.root, 'images', split);
    const names = (await listFolderSorted(folder)) ?? [];
    return names.filter(isImageFile).map((name) => join(folder, name));
  }

  private imagesOf(split: Split): readonly string[] {
    if (!this.images) throw new Error(`the shapes dataset at ${this.root} is not prepared: call prepare() first`);
    return this.images[split];
  }

  size(split: Split): number {
    return this.imagesOf(split).length;
  }

  async sample(split: Split, index: number): Promise<Sample> {
    const images = this.imagesOf(split);
    const file = images[index];
    if (!Number.isInteger(index) || file === undefined) throw new RangeError(`${split} sample ${index} is out of range 0..${images.length - 1} in ${this.root}`);
    const labelFile = labelPathFor(file);
    const [image, labels] = await Promise.all([decodeImage(file), readYoloLabels(labelFile, { file: relative(this.root, labelFile), numClasses: this.classNames.length })]);
    if (labels.problems.length > 0) throw new YoloLabelError(labels.problems);
    return { image, labels: toLabelRows(labels.boxes), source: file };
  }
}
