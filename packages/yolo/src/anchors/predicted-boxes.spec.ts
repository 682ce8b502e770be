import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { DatasetSource, Sample, Split } from '@yolo-distill/core';
import { readPredictedBoxes } from './predicted-boxes.js';

/** `count` blank 32 px images (no labels needed: the boxes come from the predictor). */
function blankData(count: number): DatasetSource {
  return {
    name: 'blank',
    root: '/blank',
    classNames: ['a', 'b'],
    imageSize: 32,
    prepare: async () => undefined,
    size: (split: Split) => (split === 'train' ? count : 0),
    sample: async (_split: Split, index: number): Promise<Sample> => ({ image: { data: new Float32Array(32 * 32 * 3), width: 32, height: 32 }, labels: { rows: new Float32Array(0), count: 0 }, source: `img${index}` }),
  };
}

describe('readPredictedBoxes', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('keeps the confident boxes after NMS, as w x h in input pixels, for the images asked', async () => {
    // Per image: a confident 10x6 box (class 0, 0.9), a box overlapping it with a lower score (suppressed),
    // a confident 4x12 box of class 1 elsewhere, and a 20x20 box under the threshold.
    const rows = [
      [8, 8, 10, 6, 0.9, 0.1],
      [8.5, 8, 10, 6, 0.8, 0.1],
      [24, 24, 4, 12, 0.05, 0.7],
      [16, 16, 20, 20, 0.1, 0.2],
    ];
    const seen: number[] = [];
    const predict = (images: tf.Tensor4D) => {
      seen.push(images.shape[0]);
      return tf.tensor3d(Array.from({ length: images.shape[0] }, () => rows), [images.shape[0], rows.length, 6]);
    };
    const { boxes, images } = await readPredictedBoxes(blankData(5), predict, { batch: 2, images: 3 });
    expect(images).toBe(3);
    expect(seen).toEqual([2, 2]);
    expect(boxes).toHaveLength(6);
    expect(boxes.slice(0, 2).map(([w, h]) => [Math.round(w), Math.round(h)]).sort()).toEqual([[10, 6], [4, 12]].sort());
  });
});
