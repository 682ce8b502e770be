import type { DatasetSource, Split } from '@yolo-distill/core';
import type { BoxWh } from './wh-metrics.js';

export interface LabelBoxesOptions {
  /** Default `train`. */
  readonly split?: Split;
  /** Read at most this many images, evenly spaced over the split (default: all of them). */
  readonly images?: number;
  /** Samples read at once (default 4). */
  readonly concurrency?: number;
}

export interface LabelBoxes {
  readonly boxes: BoxWh[];
  /** Images read. */
  readonly images: number;
}

/**
 * The label box sizes of a prepared dataset split in input pixels, as Ultralytics' `check_anchors`
 * sees them: each image scaled so its long side is `imageSize`, so a normalised `w` becomes
 * `w * width * imageSize / max(width, height)` (for square images, `w * imageSize`). Samples are
 * read through `sample()`, which decodes images; `images` caps the cost on large datasets.
 */
export async function readLabelBoxes(data: DatasetSource, options: LabelBoxesOptions = {}): Promise<LabelBoxes> {
  const split = options.split ?? 'train';
  const size = data.size(split);
  const wanted = Math.min(size, options.images ?? size);
  const indexes = Array.from({ length: wanted }, (_, i) => (wanted === size ? i : Math.floor((i * size) / wanted)));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const boxes: BoxWh[] = [];
  for (let start = 0; start < indexes.length; start += concurrency) {
    const samples = await Promise.all(indexes.slice(start, start + concurrency).map((index) => data.sample(split, index)));
    for (const { image, labels } of samples) {
      const scale = data.imageSize / Math.max(image.width, image.height);
      for (let row = 0; row < labels.count; row++) {
        boxes.push([(labels.rows[row * 5 + 3] as number) * image.width * scale, (labels.rows[row * 5 + 4] as number) * image.height * scale]);
      }
    }
  }
  return { boxes, images: indexes.length };
}
