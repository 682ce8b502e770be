import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@yolo-distill/core/testing';
import { renderShapesImage } from './generate-shapes.js';
import { ShapesDataset } from './shapes-dataset.js';
import { resolveShapesOptions } from './shapes-options.js';

const options = resolveShapesOptions({ imageSize: 40, train: 3, val: 2, objects: [1, 3], seed: 4 });

describe('ShapesDataset', () => {
  const dir = useTempDir('shapes-dataset');

  it('generates on prepare, then serves sizes and samples', async () => {
    const dataset = new ShapesDataset(join(dir(), 'shapes'), options);
    expect(() => dataset.size('train')).toThrow('is not prepared: call prepare() first');
    await dataset.prepare();
    expect(dataset.preparation).toBe('generated');
    expect([dataset.size('train'), dataset.size('val')]).toEqual([3, 2]);
    expect(dataset.classNames).toEqual(options.classes);
    expect(dataset.imageSize).toBe(40);

    const sample = await dataset.sample('val', 1);
    expect(sample.source).toBe(join(dir(), 'shapes', 'images', 'val', '000001.png'));
    expect([sample.image.width, sample.image.height, sample.image.data.length]).toEqual([40, 40, 40 * 40 * 3]);
    // the decoded PNG is the rendered image, scaled to 0..1 (HWC)
    const rendered = renderShapesImage(options, 'val', 1);
    for (const i of [0, 1, 2, 1234, 40 * 40 * 3 - 1]) expect(sample.image.data[i]).toBeCloseTo((rendered.pixels[i] as number) / 255, 6);
    // labels are the rendered ones, rounded to the 6 decimals of the file
    expect(sample.labels.count).toBe(rendered.labels.length);
    rendered.labels.forEach((box, row) => {
      const got = [...sample.labels.rows.subarray(row * 5, row * 5 + 5)];
      const want = [box.cls, box.cx, box.cy, box.w, box.h];
      want.forEach((value, k) => expect(got[k]).toBeCloseTo(value, 5));
    });
  });

  it('reuses the folder in a later instance and prepares once per instance', async () => {
    const root = join(dir(), 'shapes');
    await new ShapesDataset(root, options).prepare();
    const again = new ShapesDataset(root, options);
    await Promise.all([again.prepare(), again.prepare()]);
    expect(again.preparation).toBe('reused');
  });

  it('rejects an index out of range and names a bad label file and line', async () => {
    const root = join(dir(), 'shapes');
    const dataset = new ShapesDataset(root, options);
    await dataset.prepare();
    await expect(dataset.sample('train', 3)).rejects.toThrow(`train sample 3 is out of range 0..2 in ${root}`);
    await writeFile(join(root, 'labels', 'train', '000001.txt'), '0 0.5 0.5 0.1 0.1\n9 0.5 0.5 0.1\n');
    await expect(dataset.sample('train', 1)).rejects.toThrow('labels/train/000001.txt:2: expected 5 numbers, found 4');
  });

  it('retries prepare after a failure', async () => {
    const root = join(dir(), 'mine');
    await writeFile(join(dir(), 'mine'), 'a file, not a folder');
    const dataset = new ShapesDataset(root, options);
    await expect(dataset.prepare()).rejects.toThrow(`${root} is a file, not a dataset folder`);
    await expect(dataset.prepare()).rejects.toThrow(`${root} is a file`);
  });
});
