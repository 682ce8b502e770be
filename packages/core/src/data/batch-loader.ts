import type { Augmentation } from '../contracts/augmentation.js';
import type { DatasetSource, Split } from '../contracts/dataset-source.js';
import type { ImageBatch, Sample } from '../contracts/samples.js';
import type { Rng } from '../services/rng.js';

export interface BatchLoaderOptions {
  readonly batchSize: number;
  /** Reshuffle the order every epoch with `rng` (training); keep file order otherwise (validation). */
  readonly shuffle?: boolean;
  readonly rng?: Rng;
  readonly dropLast?: boolean;
  /** Applied to each sample, in order, each with its own probability. */
  readonly augmentations?: readonly Augmentation[];
}

/** Stacks samples of one size into an ImageBatch (images NHWC, targets `[image, cls, cx, cy, w, h]`). */
export function collate(samples: readonly Sample[]): ImageBatch {
  const first = samples[0];
  if (!first) throw new Error('cannot collate an empty batch');
  const { width, height } = first.image;
  const pixels = width * height * 3;
  const images = new Float32Array(samples.length * pixels);
  const targetCount = samples.reduce((sum, sample) => sum + sample.labels.count, 0);
  const targets = new Float32Array(targetCount * 6);
  let row = 0;
  samples.forEach((sample, index) => {
    if (sample.image.width !== width || sample.image.height !== height) {
      throw new Error(`${sample.source}: image is ${sample.image.width}x${sample.image.height}, the batch is ${width}x${height}; letterbox samples to one size first`);
    }
    images.set(sample.image.data, index * pixels);
    for (let i = 0; i < sample.labels.count; i++, row++) {
      targets[row * 6] = index;
      targets.set(sample.labels.rows.subarray(i * 5, i * 5 + 5), row * 6 + 1);
    }
  });
  return { images, shape: [samples.length, height, width, 3], targets, targetCount, sources: samples.map((s) => s.source) };
}

/**
 * Batches of one split: shuffled by the run's RNG, augmented per sample, and prefetched (the next
 * batch is decoded while the current one trains).
 */
export class BatchLoader {
  constructor(
    private readonly source: DatasetSource,
    private readonly split: Split,
    private readonly options: BatchLoaderOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${options.batchSize}`);
    if (options.shuffle && !options.rng) throw new Error('a shuffling loader needs the run RNG');
  }

  get batchesPerEpoch(): number {
    const size = this.source.size(this.split);
    return this.options.dropLast ? Math.floor(size / this.options.batchSize) : Math.ceil(size / this.options.batchSize);
  }

  private order(): number[] {
    const indices = Array.from({ length: this.source.size(this.split) }, (_, i) => i);
    return this.options.shuffle && this.options.rng ? this.options.rng.shuffle(indices) : indices;
  }

  private async load(index: number): Promise<Sample> {
    let sample = await this.source.sample(this.split, index);
    const rng = this.options.rng;
    for (const augmentation of this.options.augmentations ?? []) {
      if (!rng) throw new Error(`augmentation ${augmentation.name} needs the run RNG`);
      if (rng.next() >= augmentation.probability) continue;
      sample = await augmentation.apply(sample, { rng, drawSample: () => this.source.sample(this.split, rng.int(this.source.size(this.split))) });
    }
    return sample;
  }

  /** One pass over the split. */
  async *epoch(): AsyncGenerator<ImageBatch> {
    const order = this.order();
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += this.options.batchSize) {
      const batch = order.slice(start, start + this.options.batchSize);
      if (batch.length < this.options.batchSize && this.options.dropLast) break;
      batches.push(batch);
    }
    // Samples are loaded in order (augmentations draw from the RNG, so order keeps runs repeatable);
    // the next batch starts loading before the current one is handed out.
    const loadBatch = async (indices: readonly number[]) => {
      const samples: Sample[] = [];
      for (const index of indices) samples.push(await this.load(index));
      return collate(samples);
    };
    let next = batches[0] ? loadBatch(batches[0]) : undefined;
    try {
      for (let i = 0; i < batches.length; i++) {
        const current = await (next as Promise<ImageBatch>);
        next = batches[i + 1] ? loadBatch(batches[i + 1] as number[]) : undefined;
        yield current;
      }
    } finally {
      // A consumer that stops early (break, error, abort) must not leave a load running: it would
      // draw from the RNG behind the caller's back, and its failure would go unhandled.
      await next?.catch(() => undefined);
    }
  }
}
