import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSolidImage, writeTextFiles } from '../test-support/images.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { writeYoloFixture } from '../test-support/yolo-fixture.js';
import { formatLabelProblem } from '../yolo-labels.js';
import { indexYoloDataset } from './yolo-index.js';

describe('indexYoloDataset', () => {
  const dir = useTempDir('yolo-index');

  it('reads images at any depth with their labels, in path order', async () => {
    await writeTextFiles(dir(), {
      'data.yaml': 'train: images/train\nval: images/val\nnames: [a, b]\n',
      'labels/train/2024/x.txt': '1 0.5 0.5 0.1 0.2\n',
      'labels/train/2024/deep/orphan.txt': '0 0.5 0.5 0.1 0.1\n',
      'labels/val/v.txt': '',
    });
    await writeSolidImage(join(dir(), 'images/train/2024/x.png'), 8, 8);
    await writeSolidImage(join(dir(), 'images/train/a.jpg'), 8, 8);
    await writeSolidImage(join(dir(), 'images/val/v.webp'), 8, 8);
    const index = await indexYoloDataset(dir(), { verifyImages: 'header' });
    const train = index.splits.train.images;
    expect(train.map((record) => record.image)).toEqual([join(dir(), 'images/train/2024/x.png'), join(dir(), 'images/train/a.jpg')]);
    expect(train[0]?.boxes).toEqual([{ cls: 1, cx: 0.5, cy: 0.5, w: 0.1, h: 0.2 }]);
    expect([train[0]?.missingLabels, train[1]?.missingLabels]).toEqual([false, true]);
    expect(index.splits.val.images[0]?.missingLabels).toBe(false);
    expect(index.problems.map(formatLabelProblem)).toEqual(['labels/train/2024/deep/orphan.txt: label file without an image']);
  });

  it('checks images not at all, by header, or by decoding (which finds a truncated PNG)', async () => {
    await writeTextFiles(dir(), { 'data.yaml': 'train: images/train\nval: images/train\nnames: [a]\n' });
    await writeSolidImage(join(dir(), 'images/train/ok.png'), 8, 8);
    const png = await readFile(join(dir(), 'images/train/ok.png'));
    await writeFile(join(dir(), 'images/train/cut.png'), png.subarray(0, png.length - 16));
    await writeFile(join(dir(), 'images/train/text.jpg'), 'hello');
    const problems = async (verifyImages: 'none' | 'header' | 'decode') =>
      (await indexYoloDataset(dir(), { verifyImages })).splits.train.images.flatMap((record) => (record.imageProblem ? [formatLabelProblem(record.imageProblem)] : []));
    expect(await problems('none')).toEqual([]);
    expect(await problems('header')).toEqual(['images/train/text.jpg: cannot read image: Input file contains unsupported image format']);
    // sharp's message for a truncated PNG varies between runs (libpng's error or its failOn warning)
    const decoded = await problems('decode');
    expect(decoded).toHaveLength(2);
    expect(decoded[0]).toMatch(/^images\/train\/cut\.png: cannot read image: \S/);
    expect(decoded[1]).toBe('images/train/text.jpg: cannot read image: Input file contains unsupported image format');
  });

  it('keeps the problem order of the check: names, then per split its images and orphans', async () => {
    await writeYoloFixture(dir());
    const index = await indexYoloDataset(join(dir(), 'data.yaml'), { classNames: ['a', 'b'] });
    expect(index.problems.map(formatLabelProblem)).toEqual([
      'data.yaml: names are [a, b, c] but the dataset plugin expects [a, b]',
      'labels/train/0003.txt:2: class 5 out of range 0..2 (nc=3)',
      'labels/train/0003.txt:3: expected 5 numbers, found 4',
      'labels/train/orphan.txt: label file without an image',
    ]);
  });
});
