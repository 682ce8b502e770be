import type { ImageBatch } from '@yolo-distill/core';
import { shardBatch } from './batch-shards.js';

function batchOf(n: number): ImageBatch {
  const pixels = 2 * 2 * 3;
  // Image i holds the value i everywhere; image i has i % 3 targets.
  const images = Float32Array.from({ length: n * pixels }, (_, k) => Math.floor(k / pixels));
  const rows: number[] = [];
  for (let i = 0; i < n; i++) for (let t = 0; t < i % 3; t++) rows.push(i, t, 0.1 * i, 0.2, 0.3, 0.4);
  return { images, shape: [n, 2, 2, 3], targets: Float32Array.from(rows), targetCount: rows.length / 6, sources: Array.from({ length: n }, (_, i) => `img${i}.png`) };
}

describe('shardBatch', () => {
  it('splits 7 images into 3 contiguous runs of 3, 2 and 2 with their own renumbered targets and sources', () => {
    const shards = shardBatch(batchOf(7), 3);
    expect(shards.map((s) => s.batch.shape[0])).toEqual([3, 2, 2]);
    expect(shards.map((s) => s.share)).toEqual([3 / 7, 2 / 7, 2 / 7]);
    expect(shards.map((s) => [...new Set(s.batch.images)])).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    expect(shards.map((s) => s.batch.sources)).toEqual([['img0.png', 'img1.png', 'img2.png'], ['img3.png', 'img4.png'], ['img5.png', 'img6.png']]);
    // Image i holds i % 3 targets (1: one, 2: two | 4: one | 5: two), renumbered from 0 within each shard, coordinates kept.
    const rows = shards.map((s) => Array.from({ length: s.batch.targetCount }, (_, t) => [s.batch.targets[t * 6], Number(s.batch.targets[t * 6 + 2]?.toFixed(2))]));
    expect(rows).toEqual([[[1, 0.1], [2, 0.2], [2, 0.2]], [[1, 0.4]], [[0, 0.5], [0, 0.5]]]);
    expect(shards.reduce((sum, s) => sum + s.batch.targetCount, 0)).toBe(batchOf(7).targetCount);
  });

  it('gives one part the whole batch, and refuses more parts than images', () => {
    const batch = batchOf(4);
    const [only] = shardBatch(batch, 1);
    expect(only?.share).toBe(1);
    expect(Array.from(only?.batch.targets ?? [])).toEqual(Array.from(batch.targets));
    expect(() => shardBatch(batch, 5)).toThrow(/cannot split a batch of 4 image\(s\) into 5 part\(s\)/);
  });
});
