import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@yolo-distill/core';
import { DatasetProblemsError } from '../invalid-policy.js';
import { writeSolidImage, writeTextFiles } from '../test-support/images.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { CocoDataset, commonFolder } from './coco-dataset.js';

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: { debug: () => undefined, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) },
    lines,
  };
}

const rows = (labels: { rows: Float32Array; count: number }): number[][] =>
  Array.from({ length: labels.count }, (_, i) => Array.from(labels.rows.subarray(i * 5, i * 5 + 5)).map((value) => Math.round(value * 1e6) / 1e6));

const categories = [
  { id: 5, name: 'dog' },
  { id: 2, name: 'cat' },
];

/** coco/annotations/{train,val}.json, coco/train/{a.jpg 200x100, b.png 100x200}, coco/val/v.png 200x100. */
async function writeCoco(root: string, overrides: { train?: object; val?: object } = {}): Promise<void> {
  const train = {
    images: [
      { id: 2, file_name: 'b.png', width: 100, height: 200 },
      { id: 1, file_name: 'a.jpg', width: 200, height: 100 },
    ],
    annotations: [
      { id: 100, image_id: 1, category_id: 2, bbox: [80, 30, 40, 40], iscrowd: 0 },
      { id: 101, image_id: 1, category_id: 5, bbox: [0, 0, 50, 50], iscrowd: 1 },
    ],
    categories,
    ...overrides.train,
  };
  const val = {
    images: [{ id: 9, file_name: 'v.png', width: 200, height: 100 }],
    annotations: [{ id: 200, image_id: 9, category_id: 5, bbox: [40, 0, 40, 20] }],
    categories: [...categories].reverse(),
    ...overrides.val,
  };
  await writeTextFiles(root, { 'annotations/train.json': JSON.stringify(train, null, 2), 'annotations/val.json': JSON.stringify(val, null, 2) });
  await writeSolidImage(join(root, 'train/a.jpg'), 200, 100);
  await writeSolidImage(join(root, 'train/b.png'), 100, 200);
  await writeSolidImage(join(root, 'val/v.png'), 200, 100, [0, 0, 255]);
}

const twoFiles = (root: string) => ({
  train: { annotations: join(root, 'annotations/train.json'), images: join(root, 'train') },
  val: { annotations: join(root, 'annotations/val.json'), images: join(root, 'val') },
});

describe('CocoDataset', () => {
  const dir = useTempDir('coco-dataset');

  it('maps category ids to classes in id order and letterboxes images with their boxes', async () => {
    await writeCoco(dir());
    const { logger, lines } = recordingLogger();
    const data = await CocoDataset.open({ ...twoFiles(dir()), imageSize: 160, logger });
    expect([data.name, data.root, data.imageSize, data.invalid]).toEqual(['coco', dir(), 160, 'error']);
    expect(data.classNames).toEqual(['cat', 'dog']);
    await data.prepare();
    expect([data.size('train'), data.size('val')]).toEqual([2, 1]);
    expect(lines).toEqual([`info: COCO dataset ${dir()}: train 2 images, 1 objects; val 1 images, 1 objects; 2 classes; letterboxed to 160`]);

    // images in id order: a.jpg (id 1) first
    expect(data.image('train', 0)).toEqual({ id: 1, fileName: 'a.jpg', width: 200, height: 100 });
    const a = await data.sample('train', 0);
    expect(a.source).toBe(join(dir(), 'train/a.jpg'));
    expect([a.image.width, a.image.height]).toEqual([160, 160]);
    // bbox [80, 30, 40, 40] of 200x100 = (0.5, 0.5, 0.2, 0.4) -> scale 0.8, 40 px above -> (0.5, 0.5, 0.2, 0.2); the crowd is not a label
    expect(rows(a.labels)).toEqual([[0, 0.5, 0.5, 0.2, 0.2]]);
    expect(data.groundTruth('train', 0)).toEqual([
      { box: [80, 30, 120, 70], cls: 0, crowd: false },
      { box: [0, 0, 50, 50], cls: 1, crowd: true },
    ]);
    expect((await data.sample('train', 1)).labels.count).toBe(0);

    // bbox [40, 0, 40, 20]: centre (60, 10) px -> (48, 8 + 40), size 32x16 -> (0.3, 0.3, 0.2, 0.1)
    expect(rows((await data.sample('val', 0)).labels)).toEqual([[1, 0.3, 0.3, 0.2, 0.1]]);
  });

  it("with invalid: 'error' fails prepare() naming the file and annotation id or image of every problem", async () => {
    await writeCoco(dir(), {
      train: {
        images: [
          { id: 1, file_name: 'a.jpg', width: 200, height: 100 },
          { id: 3, file_name: 'gone.jpg', width: 10, height: 10 },
          { id: 4, file_name: 'broken.png', width: 10, height: 10 },
          { id: 5, file_name: 'b.png', width: 100, height: 100 },
        ],
        annotations: [
          { id: 100, image_id: 1, category_id: 2, bbox: [80, 30, 40, 40] },
          { id: 101, image_id: 1, category_id: 2, bbox: [10, 10, 0, 4] },
          { id: 102, image_id: 1, category_id: 2, bbox: [10, 10, -3, 4] },
          { id: 103, image_id: 77, category_id: 2, bbox: [0, 0, 4, 4] },
          { id: 104, image_id: 1, category_id: 1, bbox: [0, 0, 4, 4] },
        ],
      },
    });
    await writeTextFiles(dir(), { 'train/broken.png': 'not an image' });
    const data = await CocoDataset.open({ ...twoFiles(dir()), imageSize: 64 });
    const failure = await data.prepare().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatasetProblemsError);
    expect((failure as Error).message).toBe(
      [
        `COCO dataset ${dir()}: 7 problems:`,
        '  annotations/train.json: annotation 101: box [10, 10, 0, 4] has zero size',
        '  annotations/train.json: annotation 102: box [10, 10, -3, 4] has a negative size',
        '  annotations/train.json: annotation 103: image_id 77 is not among the images',
        '  annotations/train.json: annotation 104: category_id 1 is not among the categories',
        '  train/gone.jpg: image file not found (image 3 of annotations/train.json)',
        '  train/broken.png: cannot read image: Input file contains unsupported image format',
        '  train/b.png: image is 100x200 but annotations/train.json says 100x100 (image 5)',
        '(fix them, or set invalid: skip to drop the bad images and annotations with a warning)',
      ].join('\n'),
    );
  });

  it("with invalid: 'skip' drops bad annotations and images, and warns with the count", async () => {
    await writeCoco(dir(), {
      train: {
        images: [
          { id: 1, file_name: 'a.jpg', width: 200, height: 100 },
          { id: 3, file_name: 'gone.jpg', width: 10, height: 10 },
        ],
        annotations: [
          { id: 100, image_id: 1, category_id: 2, bbox: [80, 30, 40, 40] },
          { id: 101, image_id: 1, category_id: 2, bbox: [10, 10, 0, 4] },
          { id: 102, image_id: 3, category_id: 2, bbox: [1, 1, 4, 4] },
        ],
      },
    });
    const { logger, lines } = recordingLogger();
    const data = await CocoDataset.open({ ...twoFiles(dir()), imageSize: 64, invalid: 'skip', logger });
    await data.prepare();
    expect([data.size('train'), data.size('val')]).toEqual([1, 1]);
    expect(rows((await data.sample('train', 0)).labels)).toHaveLength(1);
    expect(lines[0]).toBe(
      [
        `warn: COCO dataset ${dir()}: invalid: skip dropped 1 image and 2 objects over 2 problems:`,
        '  annotations/train.json: annotation 101: box [10, 10, 0, 4] has zero size',
        '  train/gone.jpg: image file not found (image 3 of annotations/train.json)',
      ].join('\n'),
    );
  });

  it('names the line and column of malformed JSON', async () => {
    await writeCoco(dir());
    await writeTextFiles(dir(), { 'annotations/val.json': '{\n  "images": [],\n  "annotations": []\n  "categories": []\n}\n' });
    await expect(CocoDataset.open(twoFiles(dir()))).rejects.toThrow("annotations/val.json:4:3: Expected ',' or '}' after property value");
  });

  it('refuses val categories that differ from train', async () => {
    await writeCoco(dir(), { val: { categories: [{ id: 5, name: 'wolf' }, categories[1]] } });
    await expect(CocoDataset.open(twoFiles(dir()))).rejects.toThrow('annotations/val.json: categories differ from annotations/train.json: [2:cat, 5:wolf] vs [2:cat, 5:dog]');
  });

  it('splits one file by a val fraction, the same way every time', async () => {
    const images = Array.from({ length: 6 }, (_, i) => ({ id: i + 1, file_name: `${i + 1}.png`, width: 8, height: 8 }));
    const annotations = images.map((image) => ({ id: image.id * 10, image_id: image.id, category_id: 2, bbox: [0, 0, 4, 4] }));
    await writeTextFiles(dir(), { 'all.json': JSON.stringify({ images, annotations, categories }) });
    for (const image of images) await writeSolidImage(join(dir(), 'imgs', image.file_name), 8, 8);
    const open = async (seed: number) => {
      const data = await CocoDataset.open({ train: { annotations: join(dir(), 'all.json'), images: join(dir(), 'imgs') }, val: { fraction: 1 / 3, seed }, imageSize: 16, logger: recordingLogger().logger });
      await data.prepare();
      return data;
    };
    const data = await open(0);
    expect([data.size('train'), data.size('val')]).toEqual([4, 2]);
    const valIds = (d: CocoDataset) => [0, 1].map((i) => d.image('val', i).id);
    expect(valIds(await open(0))).toEqual(valIds(data));
    const trainIds = [0, 1, 2, 3].map((i) => data.image('train', i).id);
    expect([...trainIds, ...valIds(data)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await data.sample('val', 0)).labels.count).toBe(1);
  });

  it('keeps decoded images in a cache up to its budget', async () => {
    await writeCoco(dir());
    const data = await CocoDataset.open({ ...twoFiles(dir()), imageSize: 64, cache: 1, logger: recordingLogger().logger });
    await data.prepare();
    await data.sample('val', 0);
    expect(data.cachedBytes).toBe(64 * 64 * 3);
    await rm(join(dir(), 'val/v.png'));
    expect((await data.sample('val', 0)).labels.count).toBe(1);
  });
});

describe('commonFolder', () => {
  it('finds the deepest folder holding every path', () => {
    expect(commonFolder(['/data/coco/annotations', '/data/coco/train2017', '/data/coco/val2017'])).toBe('/data/coco');
    expect(commonFolder(['/data/a', '/data/ab'])).toBe('/data');
    expect(commonFolder(['/x', '/y'])).toBe('/');
    expect(commonFolder(['/data/coco'])).toBe('/data/coco');
  });
});
