import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetSource, Sample, Split } from '@yolo-distill/core';

/**
 * A small YOLO folder with known counts and problems (image files are empty: the YOLO check reads
 * labels only). Classes a, b, c.
 *
 *   train: 0001 (a, b), 0002 (empty file), 0003 (c, plus a class-5 line and a 4-number line),
 *          0004.jpg (no label file), and labels/train/orphan.txt without an image
 *   val:   v1 (c, c)
 *
 * Expected: train 4 images, 3 objects, 2 background, 1 without labels, a/b/c = 1/1/1;
 * val 1 image, 2 objects, c = 2; problems: 0003.txt lines 2 and 3, orphan.txt.
 */
export async function writeYoloFixture(root: string): Promise<void> {
  const files: Record<string, string> = {
    'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnc: 3\nnames: [a, b, c]\n',
    'images/train/0001.png': '',
    'images/train/0002.png': '',
    'images/train/0003.png': '',
    'images/train/0004.jpg': '',
    'images/train/notes.md': 'not an image',
    'labels/train/0001.txt': '0 0.5 0.5 0.2 0.2\n1 0.25 0.25 0.1 0.1\n',
    'labels/train/0002.txt': '',
    'labels/train/0003.txt': '2 0.5 0.5 0.5 0.5\n5 0.5 0.5 0.1 0.1\n0 0.5 0.5 0.1\n',
    'labels/train/orphan.txt': '0 0.5 0.5 0.1 0.1\n',
    'images/val/v1.png': '',
    'labels/val/v1.txt': '2 0.1 0.1 0.1 0.1\n2 0.9 0.9 0.1 0.1\n',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

/** A DatasetSource over fixed samples (no folder behind it), for checks that must load samples. */
export function memoryDataset(root: string, classNames: readonly string[], samples: Record<Split, readonly (Sample | Error)[]>): DatasetSource {
  return {
    name: 'memory',
    root,
    classNames,
    imageSize: 8,
    prepare: () => Promise.resolve(),
    size: (split) => samples[split].length,
    sample: (split, index) => {
      const sample = samples[split][index];
      if (sample === undefined) return Promise.reject(new RangeError(`no ${split} sample ${index}`));
      return sample instanceof Error ? Promise.reject(sample) : Promise.resolve(sample);
    },
  };
}
