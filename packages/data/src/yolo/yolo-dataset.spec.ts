import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchLoader, type Logger } from '@yolo-distill/core';
import { DatasetProblemsError } from '../invalid-policy.js';
import { writeSolidImage, writeTextFiles } from '../test-support/images.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { YoloDataset } from './yolo-dataset.js';

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: { debug: () => undefined, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) },
    lines,
  };
}

const rows = (labels: { rows: Float32Array; count: number }): number[][] =>
  Array.from({ length: labels.count }, (_, i) => Array.from(labels.rows.subarray(i * 5, i * 5 + 5)).map((value) => Math.round(value * 1e6) / 1e6));

/**
 * train: a.jpg 200x100 (one box), b.png 100x200 (no label file), c.webp 160x160 (empty label file);
 * val: v.png 200x100 (one box). Names as a mapping.
 */
async function writeCleanDataset(root: string): Promise<void> {
  await writeTextFiles(root, {
    'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnc: 2\nnames:\n  0: cat\n  1: dog\n',
    'labels/train/a.txt': '0 0.5 0.5 0.2 0.4\n',
    'labels/train/c.txt': '',
    'labels/val/v.txt': '1 0.25 0.1 0.2 0.2\n\n',
  });
  await writeSolidImage(join(root, 'images/train/a.jpg'), 200, 100);
  await writeSolidImage(join(root, 'images/train/b.png'), 100, 200);
  await writeSolidImage(join(root, 'images/train/c.webp'), 160, 160);
  await writeSolidImage(join(root, 'images/val/v.png'), 200, 100, [0, 0, 255]);
}

/** Every kind of bad input: 4 numbers, class out of range, a coordinate > 1, a label without image, a corrupt image. */
async function writeBadDataset(root: string): Promise<void> {
  await writeTextFiles(root, {
    'data.yaml': 'train: images/train\nval: images/val\nnames: [cat, dog]\n',
    'labels/train/a.txt': '0 0.5 0.5 0.2\n1 0.5 0.5 0.2 0.2\n2 0.5 0.5 0.1 0.1\n0 1.5 0.5 0.1 0.1\n',
    'labels/train/ghost.txt': '0 0.5 0.5 0.1 0.1\n',
    'labels/train/broken.txt': '1 0.5 0.5 0.1 0.1\n',
    'images/train/broken.png': 'not an image',
    'labels/val/v.txt': '0 0.5 0.5 0.5 0.5\n',
  });
  await writeSolidImage(join(root, 'images/train/a.png'), 64, 64);
  await writeSolidImage(join(root, 'images/val/v.png'), 64, 32);
}

describe('YoloDataset', () => {
  const dir = useTempDir('yolo-dataset');

  it('reads class names on open, and letterboxes images of any size and format with their labels', async () => {
    await writeCleanDataset(dir());
    const { logger, lines } = recordingLogger();
    const data = await YoloDataset.open(dir(), { imageSize: 160, logger });
    expect([data.name, data.root, data.imageSize, data.invalid]).toEqual(['yolo', dir(), 160, 'error']);
    expect(data.classNames).toEqual(['cat', 'dog']);
    await data.prepare();
    expect([data.size('train'), data.size('val')]).toEqual([3, 1]);
    expect(lines).toEqual([`info: YOLO dataset ${dir()}: train 3 images, 1 objects; val 1 images, 1 objects; 2 classes; letterboxed to 160`]);

    const a = await data.sample('train', 0);
    expect(a.source).toBe(join(dir(), 'images/train/a.jpg'));
    expect([a.image.width, a.image.height, a.image.data.length]).toEqual([160, 160, 160 * 160 * 3]);
    // 200x100 -> scale 0.8, 40 px of grey above: (0.5, 0.5, 0.2, 0.4) -> (0.5, 0.5, 0.2, 0.2)
    expect(rows(a.labels)).toEqual([[0, 0.5, 0.5, 0.2, 0.2]]);
    expect(Array.from(a.image.data.subarray(0, 3))).toEqual([114 / 255, 114 / 255, 114 / 255].map(Math.fround));

    const b = await data.sample('train', 1);
    expect(b.labels.count).toBe(0); // no label file: background
    // 100x200 -> 80x160 with 40 px left: (x=20, y=80) is grey, (x=80, y=80) is the image
    expect(b.image.data[(80 * 160 + 20) * 3]).toBeCloseTo(114 / 255, 6);
    expect(b.image.data[(80 * 160 + 80) * 3]).toBeCloseTo(200 / 255, 6);
    expect((await data.sample('train', 2)).labels.count).toBe(0); // empty label file

    const v = await data.sample('val', 0);
    // (0.25, 0.1, 0.2, 0.2) of 200x100: centre (50, 10) -> (40, 48) px, size 40x20 -> 32x16
    expect(rows(v.labels)).toEqual([[1, 0.25, 0.3, 0.2, 0.1]]);
    expect(Array.from(v.image.data.subarray((80 * 160 + 80) * 3, (80 * 160 + 80) * 3 + 3))).toEqual([0, 0, 1]);
  });

  it('opens the YAML file itself and finds splits through its path', async () => {
    await writeCleanDataset(join(dir(), 'set'));
    await writeTextFiles(dir(), { 'configs/pets.yaml': 'path: ../set\ntrain: images/train\nval: images/val\nnames: [cat, dog]\n' });
    const data = await YoloDataset.open(join(dir(), 'configs/pets.yaml'), { imageSize: 64, logger: recordingLogger().logger });
    expect(data.root).toBe(join(dir(), 'set'));
    await data.prepare();
    expect(data.size('train')).toBe(3);
  });

  it("with invalid: 'error' fails prepare() naming every problem's file and line", async () => {
    await writeBadDataset(dir());
    const data = await YoloDataset.open(dir(), { imageSize: 64 });
    const failure = await data.prepare().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatasetProblemsError);
    expect((failure as Error).message).toBe(
      [
        `YOLO dataset ${dir()}: 5 problems:`,
        '  labels/train/a.txt:1: expected 5 numbers, found 4',
        '  labels/train/a.txt:3: class 2 out of range 0..1 (nc=2)',
        '  labels/train/a.txt:4: cx 1.5 outside 0..1',
        '  images/train/broken.png: cannot read image: Input file contains unsupported image format',
        '  labels/train/ghost.txt: label file without an image',
        '(fix them, or set invalid: skip to drop the bad images and annotations with a warning)',
      ].join('\n'),
    );
    expect((failure as DatasetProblemsError).problems).toHaveLength(5);
    expect(() => data.size('train')).toThrow('is not prepared');
  });

  it("with invalid: 'skip' drops bad lines and unreadable images, and warns with the count", async () => {
    await writeBadDataset(dir());
    const { logger, lines } = recordingLogger();
    const data = await YoloDataset.open(dir(), { imageSize: 64, invalid: 'skip', logger });
    await data.prepare();
    expect([data.size('train'), data.size('val')]).toEqual([1, 1]);
    expect(rows((await data.sample('train', 0)).labels)).toEqual([[1, 0.5, 0.5, 0.2, 0.2]]);
    expect(lines[0]).toBe(
      [
        `warn: YOLO dataset ${dir()}: invalid: skip dropped 1 image and 4 objects over 5 problems:`,
        '  labels/train/a.txt:1: expected 5 numbers, found 4',
        '  labels/train/a.txt:3: class 2 out of range 0..1 (nc=2)',
        '  labels/train/a.txt:4: cx 1.5 outside 0..1',
        '  images/train/broken.png: cannot read image: Input file contains unsupported image format',
        '  labels/train/ghost.txt: label file without an image',
      ].join('\n'),
    );
  });

  it('lists the first 20 problems and counts the rest', async () => {
    const bad = Array.from({ length: 25 }, () => '0 0.5 0.5\n').join('');
    await writeTextFiles(dir(), { 'data.yaml': 'train: images/train\nval: images/train\nnames: [a]\n', 'labels/train/x.txt': bad });
    await writeSolidImage(join(dir(), 'images/train/x.png'), 8, 8);
    const message = await (await YoloDataset.open(dir())).prepare().catch((error: unknown) => (error as Error).message);
    const lines = String(message).split('\n');
    expect(lines[0]).toBe(`YOLO dataset ${dir()}: 50 problems:`);
    expect(lines[20]).toBe('  labels/train/x.txt:20: expected 5 numbers, found 3');
    expect(lines[21]).toBe('  ... and 30 more');
  });

  it('keeps decoded images in a cache up to its budget', async () => {
    await writeCleanDataset(dir());
    // one 160x160 RGB image is 76800 bytes; 0.1 MB = 104857 bytes holds one
    const data = await YoloDataset.open(dir(), { imageSize: 160, cache: 0.1, logger: recordingLogger().logger });
    await data.prepare();
    const first = await data.sample('train', 0);
    await data.sample('train', 1);
    expect(data.cachedBytes).toBe(76800);
    await rm(join(dir(), 'images/train/a.jpg'));
    await rm(join(dir(), 'images/train/b.png'));
    const again = await data.sample('train', 0);
    expect(Buffer.from(again.image.data.buffer).equals(Buffer.from(first.image.data.buffer))).toBe(true);
    expect(rows(again.labels)).toEqual(rows(first.labels));
    await expect(data.sample('train', 1)).rejects.toThrow(`${join(dir(), 'images/train/b.png')}: cannot decode image`);
  });

  it('fails clearly without data.yaml, and for samples out of range', async () => {
    await expect(YoloDataset.open(dir())).rejects.toThrow(`${join(dir(), 'data.yaml')}: not found`);
    await writeCleanDataset(dir());
    const data = await YoloDataset.open(dir(), { logger: recordingLogger().logger });
    await data.prepare();
    await expect(data.sample('val', 1)).rejects.toThrow(`val sample 1 is out of range 0..0 in ${dir()}`);
  });

  it('gives samples of one size, so images of different sizes batch together', async () => {
    await writeCleanDataset(dir());
    const data = await YoloDataset.open(dir(), { imageSize: 96, logger: recordingLogger().logger });
    await data.prepare();
    const batches = [];
    for await (const batch of new BatchLoader(data, 'train', { batchSize: 3 }).epoch()) batches.push(batch);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.shape).toEqual([3, 96, 96, 3]);
    // one object, in image 0: [image, cls, cx, cy, w, h]
    expect(Array.from(batches[0]?.targets ?? []).map((value) => Math.round(value * 1e6) / 1e6)).toEqual([0, 0, 0.5, 0.5, 0.2, 0.2]);
  });
});
