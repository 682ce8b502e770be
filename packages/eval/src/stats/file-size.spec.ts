import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelFileSize } from './file-size.js';
import { useTempDir } from '@yolo-distill/core/testing';

describe('modelFileSize', () => {
  const dir = useTempDir('eval-size');

  it('gives the bytes of a file and MiB = bytes / 2^20', async () => {
    await writeFile(join(dir(), 'm.onnx'), Buffer.alloc(3 * 2 ** 19));
    expect(await modelFileSize(join(dir(), 'm.onnx'))).toEqual({ path: join(dir(), 'm.onnx'), bytes: 3 * 2 ** 19, mib: 1.5, files: 1 });
  });

  it('adds up every file under a model folder', async () => {
    await mkdir(join(dir(), 'web', 'shards'), { recursive: true });
    await writeFile(join(dir(), 'web', 'model.json'), '{}');
    await writeFile(join(dir(), 'web', 'shards', 'group1-shard1of1.bin'), Buffer.alloc(100));
    expect(await modelFileSize(join(dir(), 'web'))).toMatchObject({ bytes: 102, files: 2 });
  });

  it('names a missing path', async () => {
    await expect(modelFileSize(join(dir(), 'nope.onnx'))).rejects.toThrow(`${join(dir(), 'nope.onnx')}: no such file or folder`);
  });
});
