import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@yolo-distill/core/testing';
import { writeYoloFixture } from '../test-support/yolo-fixture.js';
import { formatLabelProblem } from '../yolo-labels.js';
import { checkYoloDataset } from './check-yolo-dataset.js';

describe('checkYoloDataset', () => {
  const dir = useTempDir('check-yolo');

  it('counts images, objects, background and classes per split, and lists problems', async () => {
    await writeYoloFixture(dir());
    const report = await checkYoloDataset(dir());
    expect(report.root).toBe(dir());
    expect(report.classNames).toEqual(['a', 'b', 'c']);
    expect(report.splits).toEqual({
      train: { images: 4, objects: 3, background: 2, missingLabels: 1, perClass: { a: 1, b: 1, c: 1 } },
      val: { images: 1, objects: 2, background: 0, missingLabels: 0, perClass: { a: 0, b: 0, c: 2 } },
    });
    expect(report.problems.map(formatLabelProblem)).toEqual([
      'labels/train/0003.txt:2: class 5 out of range 0..2 (nc=3)',
      'labels/train/0003.txt:3: expected 5 numbers, found 4',
      'labels/train/orphan.txt: label file without an image',
    ]);
  });

  it('reports a split missing from data.yaml or from disk, and class names that differ', async () => {
    await writeFile(join(dir(), 'data.yaml'), 'train: images/train\nnames: [a, b]\n');
    await mkdir(join(dir(), 'images', 'train'), { recursive: true });
    const report = await checkYoloDataset(dir(), { classNames: ['a', 'c'] });
    expect(report.problems.map(formatLabelProblem)).toEqual([
      'data.yaml: names are [a, b] but the dataset plugin expects [a, c]',
      "data.yaml: no 'val' entry",
      'data.yaml: the train split has no images: nothing to train on',
    ]);
    await rm(join(dir(), 'images'), { recursive: true });
    await writeFile(join(dir(), 'data.yaml'), 'train: images/train\nval: images/val\nnames: [a, b]\n');
    expect((await checkYoloDataset(dir())).problems.map(formatLabelProblem)).toEqual([
      'images/train: train images folder not found',
      'images/val: val images folder not found',
    ]);
  });

  it('refuses a folder without data.yaml', async () => {
    await expect(checkYoloDataset(dir())).rejects.toThrow(`${join(dir(), 'data.yaml')}: not found`);
  });
});
