import type { DatasetSource, Sample, Split } from '@yolo-distill/core';
import { readLabelBoxes } from './label-boxes.js';

/** Images of `width x height` with one label each: sample i has a box of normalised size [0.1 * (i + 1), 0.5]. */
function fakeData(count: number, width: number, height: number, imageSize: number): DatasetSource & { read: number[] } {
  const read: number[] = [];
  return {
    name: 'fake',
    root: '/fake',
    classNames: ['a'],
    imageSize,
    read,
    prepare: async () => undefined,
    size: (split: Split) => (split === 'train' ? count : 0),
    sample: async (_split: Split, index: number): Promise<Sample> => {
      read.push(index);
      return { image: { data: new Float32Array(0), width, height }, labels: { rows: Float32Array.of(0, 0.5, 0.5, 0.1 * (index + 1), 0.5), count: 1 }, source: `img${index}` };
    },
  };
}

describe('readLabelBoxes', () => {
  it("gives pixel sizes with each image's long side scaled to imageSize", async () => {
    // 64x32 image, imageSize 128: scale 2, so w = 0.1 * 64 * 2 = 12.8 and h = 0.5 * 32 * 2 = 32.
    const { boxes, images } = await readLabelBoxes(fakeData(2, 64, 32, 128));
    expect(images).toBe(2);
    expect(boxes[0]?.[0]).toBeCloseTo(12.8, 5);
    expect(boxes[0]?.[1]).toBe(32);
    expect(boxes[1]?.[0]).toBeCloseTo(25.6, 5);
  });

  it('reads at most `images` images, evenly spaced', async () => {
    const data = fakeData(10, 32, 32, 32);
    const { boxes, images } = await readLabelBoxes(data, { images: 3, concurrency: 2 });
    expect(images).toBe(3);
    expect(data.read).toEqual([0, 3, 6]);
    expect(boxes).toHaveLength(3);
  });
});
