import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isImageFile, labelPathFor, listFilesRecursive, listFolderSorted } from './yolo-folder.js';

describe('labelPathFor', () => {
  it('swaps the last images folder for labels and the extension for .txt', () => {
    expect(labelPathFor('/data/coco/images/train/0001.jpg')).toBe('/data/coco/labels/train/0001.txt');
    expect(labelPathFor('/data/images/set/images/val/a.b.PNG')).toBe('/data/images/set/labels/val/a.b.txt');
    expect(labelPathFor('/data/pics/x.png')).toBe('/data/pics/x.txt');
  });
});

describe('isImageFile', () => {
  it('accepts image extensions in any case and nothing else', () => {
    expect(['a.png', 'b.JPG', 'c.jpeg', 'd.webp'].map(isImageFile)).toEqual([true, true, true, true]);
    expect(['a.txt', 'b', 'c.png.bak', '.cache'].map(isImageFile)).toEqual([false, false, false, false]);
  });
});

describe('listFolderSorted', () => {
  it('lists sorted names, and undefined for a missing folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yolo-folder-'));
    try {
      await writeFile(join(dir, 'b.png'), '');
      await writeFile(join(dir, 'a.png'), '');
      await mkdir(join(dir, 'c'));
      expect(await listFolderSorted(dir)).toEqual(['a.png', 'b.png', 'c']);
      expect(await listFolderSorted(join(dir, 'missing'))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('listFilesRecursive', () => {
  it('lists matching files at any depth, sorted by relative path; undefined for a missing folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yolo-folder-'));
    try {
      await mkdir(join(dir, 'b', 'c'), { recursive: true });
      await mkdir(join(dir, 'd.png'));
      for (const name of ['z.png', 'b/c/x.jpg', 'b/a.webp', 'b/notes.txt', 'a.PNG']) await writeFile(join(dir, name), '');
      expect(await listFilesRecursive(dir, isImageFile)).toEqual(['a.PNG', 'b/a.webp', 'b/c/x.jpg', 'z.png'].map((name) => join(dir, name)));
      expect(await listFilesRecursive(join(dir, 'missing'), isImageFile)).toBeUndefined();
      expect(await listFilesRecursive(join(dir, 'z.png'), isImageFile)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
