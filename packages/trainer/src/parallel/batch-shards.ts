import type { ImageBatch } from '@yolo-distill/core';

/** One worker's part of a batch: contiguous images, their target rows renumbered from 0. */
export interface BatchShard {
  readonly batch: ImageBatch;
  /** Its images over the batch's (weights of batch-mean terms). */
  readonly share: number;
}

const TARGET_WIDTH = 6;

/**
 * Splits a batch into `parts` contiguous runs of images, sizes differing by at most one (the first
 * ones larger): rank r gets images [start_r, start_r + size_r). Target rows `[image, cls, cx, cy, w, h]`
 * go with their image, renumbered within the shard, in their original order.
 */
export function shardBatch(batch: ImageBatch, parts: number): BatchShard[] {
  const [n, height, width, channels] = batch.shape;
  if (!Number.isInteger(parts) || parts < 1 || parts > n) throw new Error(`shardBatch: cannot split a batch of ${n} image(s) into ${parts} part(s)`);
  const pixels = height * width * channels;
  const shards: BatchShard[] = [];
  let start = 0;
  for (let r = 0; r < parts; r++) {
    const size = Math.floor(n / parts) + (r < n % parts ? 1 : 0);
    const rows: number[] = [];
    for (let t = 0; t < batch.targetCount; t++) {
      const image = batch.targets[t * TARGET_WIDTH] as number;
      if (image >= start && image < start + size) rows.push(t);
    }
    const targets = new Float32Array(rows.length * TARGET_WIDTH);
    rows.forEach((t, k) => {
      targets.set(batch.targets.subarray(t * TARGET_WIDTH, (t + 1) * TARGET_WIDTH), k * TARGET_WIDTH);
      targets[k * TARGET_WIDTH] = (batch.targets[t * TARGET_WIDTH] as number) - start;
    });
    shards.push({
      share: size / n,
      batch: {
        images: batch.images.slice(start * pixels, (start + size) * pixels),
        shape: [size, height, width, channels],
        targets,
        targetCount: rows.length,
        sources: batch.sources.slice(start, start + size),
      },
    });
    start += size;
  }
  return shards;
}
