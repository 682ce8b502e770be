import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDataYaml, readDataYaml } from './yolo-data-yaml.js';
import { useTempDir } from '@yolo-distill/core/testing';

describe('data.yaml', () => {
  const root = useTempDir('data-yaml');

  it('writes path, train, val, nc and names', () => {
    expect(formatDataYaml({ path: '/data/shapes', train: 'images/train', val: 'images/val', names: ['circle', 'square'] })).toBe(
      'path: /data/shapes\ntrain: images/train\nval: images/val\nnc: 2\nnames:\n  - circle\n  - square\n',
    );
  });

  it('reads what it writes; split folders are relative to path, path to the folder holding the YAML', async () => {
    await writeFile(join(root(), 'data.yaml'), formatDataYaml({ path: '.', train: 'images/train', val: 'images/val', names: ['a', 'b'] }));
    expect(await readDataYaml(root())).toEqual({
      file: join(root(), 'data.yaml'),
      root: root(),
      names: ['a', 'b'],
      splits: { train: join(root(), 'images/train'), val: join(root(), 'images/val') },
    });
    await mkdir(join(root(), 'sets/one'), { recursive: true });
    await mkdir(join(root(), 'elsewhere'));
    await writeFile(join(root(), 'data.yaml'), 'path: sets/one\ntrain: images/train\nval: /abs/val\nnames: [a]\n');
    const info = await readDataYaml(join(root(), 'data.yaml'));
    expect(info.root).toBe(join(root(), 'sets/one'));
    expect(info.splits).toEqual({ train: join(root(), 'sets/one/images/train'), val: '/abs/val' });
    await writeFile(join(root(), 'data.yaml'), `path: ${join(root(), 'elsewhere')}\ntrain: t\nnames: [a]\n`);
    expect((await readDataYaml(root())).splits.train).toBe(join(root(), 'elsewhere', 't'));
  });

  it('reads a YAML of any name, and finds Roboflow-style ../ splits inside the root', async () => {
    await mkdir(join(root(), 'train', 'images'), { recursive: true });
    await writeFile(join(root(), 'rf.yml'), 'train: ../train/images\nval: ../valid/images\nnc: 2\nnames: [x, y]\n');
    const info = await readDataYaml(join(root(), 'rf.yml'));
    expect(info.file).toBe(join(root(), 'rf.yml'));
    // train exists inside the root(); valid does not exist anywhere, so it stays as written
    expect(info.splits).toEqual({ train: join(root(), 'train/images'), val: join(root(), '../valid/images') });
  });

  it('names classes class0.. when only nc is given', async () => {
    await writeFile(join(root(), 'data.yaml'), 'train: t\nnc: 3\n');
    expect((await readDataYaml(root())).names).toEqual(['class0', 'class1', 'class2']);
  });

  it('reads names given as a mapping, and a missing split', async () => {
    await writeFile(join(root(), 'data.yaml'), 'train: images/train\nnames:\n  0: person\n  1: car\n');
    const info = await readDataYaml(root());
    expect(info.names).toEqual(['person', 'car']);
    expect(info.splits).toEqual({ train: join(root(), 'images/train') });
  });

  it('names the file in its errors', async () => {
    const file = join(root(), 'data.yaml');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: not found`);
    await writeFile(file, 'train: images/train\nnc: 3\nnames: [a, b]\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: nc is 3 but names lists 2 classes`);
    await writeFile(file, 'train: images/train\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: names is missing`);
    await writeFile(file, 'names: {0: a, 2: b}\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: names as a mapping must have the keys 0..1`);
    await writeFile(file, 'names: [a]\ntrain: [images/a, images/b]\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: train must be one folder of images`);
    await writeFile(file, 'names: [a\n');
    await expect(readDataYaml(root())).rejects.toThrow(file);
    await writeFile(file, 'path: [x]\nnames: [a]\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: path must be a folder`);
    await expect(readDataYaml(join(root(), 'other.yaml'))).rejects.toThrow(`${join(root(), 'other.yaml')}: not found`);
    await writeFile(file, 'path: /moved/away\nnames: [a]\n');
    await expect(readDataYaml(root())).rejects.toThrow(`${file}: path '/moved/away' is /moved/away, which does not exist`);
  });
});
