import { BatchLoader, SeededRng, type Augmentation, type DatasetSource, type PluginDescriptor, type Sample } from '@yolo-distill/core';
import { augmentPlugin } from './plugin.js';
import { coordinateSample, parseYaml } from './test-support/samples.js';

/*
 * The run's BatchLoader decides whether an augmentation applies (`rng.next() < probability`); an
 * augmentation's part is to report its `p`. These specs run every image augmentation through the
 * loader: at p 0 the batch is the dataset's samples untouched, at p 1 every sample changes.
 */
function source(samples: readonly Sample[]): DatasetSource {
  return {
    name: 'fixed',
    root: '.',
    classNames: ['a', 'b'],
    imageSize: 16,
    prepare: async () => {},
    size: () => samples.length,
    sample: async (_split, index) => samples[index]!,
  };
}

const samples = Array.from({ length: 4 }, (_, i) => coordinateSample(16, 16, [[i % 2, 0.3 + 0.1 * i, 0.5, 0.4, 0.3]], 100 + i));
const imageAugmentations = augmentPlugin.descriptors.filter((d): d is PluginDescriptor<unknown, Augmentation> => d.kind === 'augmentation');

/** Each loaded sample as its pixels and its label rows (from the collated batch). */
async function loaded(augmentation: Augmentation, seed: number): Promise<{ image: Float32Array; labels: number[][] }[]> {
  const loader = new BatchLoader(source(samples), 'train', { batchSize: 2, rng: new SeededRng(seed), augmentations: [augmentation] });
  const out = [];
  for await (const batch of loader.epoch()) {
    const pixels = batch.shape[1] * batch.shape[2] * 3;
    for (let k = 0; k < batch.shape[0]; k++) {
      const labels: number[][] = [];
      for (let t = 0; t < batch.targetCount; t++) if (batch.targets[t * 6] === k) labels.push(Array.from(batch.targets.subarray(t * 6 + 1, t * 6 + 6)));
      out.push({ image: batch.images.slice(k * pixels, (k + 1) * pixels), labels });
    }
  }
  return out;
}

const original = (i: number) => ({
  image: samples[i]!.image.data,
  labels: [Array.from(samples[i]!.labels.rows)],
});

describe('probability p through the run BatchLoader', () => {
  it('covers every image augmentation of the plugin', () => {
    expect(imageAugmentations.map((d) => d.type).sort()).toEqual(['augment.Flip', 'augment.HSV', 'augment.MixUp', 'augment.Mosaic', 'augment.RandomAffine']);
  });

  describe.each(imageAugmentations.map((d) => [d.type, d] as const))('%s', (_type, descriptor) => {
    const build = (p: number) => descriptor.create(parseYaml(descriptor, `p: ${p}\n`), undefined as never) as Augmentation;

    it('reports p as its probability', () => {
      expect(build(0.37).probability).toBe(0.37);
    });

    it('never applies at p 0', async () => {
      for (const seed of [0, 1, 2]) {
        (await loaded(build(0), seed)).forEach((sample, i) => expect(sample, `sample ${i}`).toEqual(original(i)));
      }
    });

    it('always applies at p 1', async () => {
      // Changed pixels or labels: MixUp may draw the sample itself, which blends to the same pixels but doubles the labels.
      for (const seed of [0, 1, 2]) {
        (await loaded(build(1), seed)).forEach((sample, i) => expect(sample, `sample ${i}`).not.toEqual(original(i)));
      }
    });
  });
});
