import type { DatasetSource, Split } from '../contracts/dataset-source.js';
import type { Sample } from '../contracts/samples.js';
import type { Augmentation } from '../contracts/augmentation.js';
import { SeededRng } from '../services/rng.js';
import { BatchLoader, collate } from './batch-loader.js';

/** Image i is 2x1 pixels of value i; it has i % 3 labels `[i, .5, .5, .1, .1]`. */
function sampleOf(i: number): Sample {
  const count = i % 3;
  const rows = new Float32Array(count * 5);
  for (let r = 0; r < count; r++) rows.set([i, 0.5, 0.5, 0.1, 0.1], r * 5);
  return { image: { data: new Float32Array(6).fill(i), width: 2, height: 1 }, labels: { rows, count }, source: `img${i}` };
}

const source: DatasetSource = {
  name: 'fake',
  root: '/fake',
  classNames: ['a'],
  imageSize: 2,
  prepare: async () => undefined,
  size: (split: Split) => (split === 'train' ? 7 : 3),
  sample: async (_split, index) => sampleOf(index),
};

async function collect(loader: BatchLoader) {
  const batches = [];
  for await (const batch of loader.epoch()) batches.push(batch);
  return batches;
}

describe('collate', () => {
  it('stacks images and numbers targets by image', () => {
    const batch = collate([sampleOf(1), sampleOf(2)]);
    expect(batch.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(batch.images)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(batch.targetCount).toBe(3);
    expect(Array.from(batch.targets)).toEqual([0, 1, 0.5, 0.5, 0.1, 0.1, 1, 2, 0.5, 0.5, 0.1, 0.1, 1, 2, 0.5, 0.5, 0.1, 0.1].map(Math.fround));
  });

  it('refuses samples of different sizes, naming the sample', () => {
    const odd = { ...sampleOf(1), image: { data: new Float32Array(3), width: 1, height: 1 }, source: 'odd.png' };
    expect(() => collate([sampleOf(0), odd])).toThrow('odd.png: image is 1x1, the batch is 2x1');
  });
});

describe('BatchLoader', () => {
  it('keeps file order without shuffling and makes a short last batch', async () => {
    const batches = await collect(new BatchLoader(source, 'train', { batchSize: 3 }));
    expect(batches.map((b) => b.sources)).toEqual([['img0', 'img1', 'img2'], ['img3', 'img4', 'img5'], ['img6']]);
  });

  it('drops the short batch on request', async () => {
    const loader = new BatchLoader(source, 'train', { batchSize: 3, dropLast: true });
    expect(loader.batchesPerEpoch).toBe(2);
    expect(await collect(loader)).toHaveLength(2);
  });

  it('shuffles with the seed: same seed, same order; a permutation of all samples', async () => {
    const first = (await collect(new BatchLoader(source, 'train', { batchSize: 4, shuffle: true, rng: new SeededRng(3) }))).flatMap((b) => b.sources);
    const again = (await collect(new BatchLoader(source, 'train', { batchSize: 4, shuffle: true, rng: new SeededRng(3) }))).flatMap((b) => b.sources);
    expect(first).toEqual(again);
    expect([...first].sort()).toEqual(['img0', 'img1', 'img2', 'img3', 'img4', 'img5', 'img6']);
    expect(first).not.toEqual(['img0', 'img1', 'img2', 'img3', 'img4', 'img5', 'img6']);
  });

  it('applies augmentations with their probability', async () => {
    const double: Augmentation = {
      name: 'double',
      probability: 1,
      apply: async (sample) => ({ ...sample, image: { ...sample.image, data: sample.image.data.map((v) => v * 2) } }),
    };
    const never: Augmentation = { ...double, name: 'never', probability: 0, apply: async () => { throw new Error('never applied'); } };
    const batches = await collect(new BatchLoader(source, 'val', { batchSize: 3, rng: new SeededRng(0), augmentations: [double, never] }));
    expect(Array.from(batches[0]?.images ?? []).filter((_, i) => i % 6 === 0)).toEqual([0, 2, 4]);
  });
});
