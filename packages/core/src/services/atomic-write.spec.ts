import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles, useTempDir } from '../testing/index.js';
import { temporaryNameFor, writeDirectoryAtomic, writeFileAtomic } from './atomic-write.js';

describe('temporaryNameFor', () => {
  it('is a sibling name, unique per call', () => {
    const a = temporaryNameFor('/runs/x/run.json');
    const b = temporaryNameFor('/runs/x/run.json');
    expect(a.startsWith(`/runs/x/run.json.tmp-${process.pid}-`)).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe('writeFileAtomic', () => {
  const dir = useTempDir('atomic');

  it('writes text and bytes, creating parent folders', async () => {
    const text = join(dir(), 'a', 'b', 'run.json');
    await writeFileAtomic(text, '{"ok":true}');
    expect(await readFile(text, 'utf8')).toBe('{"ok":true}');
    const bytes = join(dir(), 'w.bin');
    await writeFileAtomic(bytes, Uint8Array.of(1, 2, 255));
    expect([...(await readFile(bytes))]).toEqual([1, 2, 255]);
  });

  it('replaces an existing file and leaves no temporary file', async () => {
    const file = join(dir(), 'run.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await listFiles(dir())).toEqual(['run.json']);
  });

  it('keeps the old file and removes the temporary one when the rename fails', async () => {
    // A folder where the file should go makes rename fail after the temporary file was written.
    const target = join(dir(), 'taken');
    await mkdir(target);
    await writeFile(join(target, 'keep.txt'), 'kept');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(await listFiles(dir())).toEqual(['taken/keep.txt']);
  });
});

describe('writeDirectoryAtomic', () => {
  const dir = useTempDir('atomic-dir');

  it('fills a temporary folder, then renames it into place', async () => {
    const target = join(dir(), 'ckpt', 'epoch-1');
    let filledIn = '';
    await writeDirectoryAtomic(target, async (temporary) => {
      filledIn = temporary;
      await writeFile(join(temporary, 'meta.json'), '{}');
    });
    expect(filledIn).not.toBe(target);
    expect(filledIn.startsWith(`${target}.tmp-`)).toBe(true);
    expect(await listFiles(dir())).toEqual(['ckpt/epoch-1/meta.json']);
  });

  it('replaces an older folder completely', async () => {
    const target = join(dir(), 'ckpt');
    await writeDirectoryAtomic(target, async (temporary) => {
      await writeFile(join(temporary, 'old.bin'), 'old');
    });
    await writeDirectoryAtomic(target, async (temporary) => {
      await writeFile(join(temporary, 'new.bin'), 'new');
    });
    expect(await listFiles(dir())).toEqual(['ckpt/new.bin']);
  });

  it('leaves the old folder and no temporary folder when filling fails', async () => {
    const target = join(dir(), 'ckpt');
    await writeDirectoryAtomic(target, async (temporary) => {
      await writeFile(join(temporary, 'good.bin'), 'good');
    });
    await expect(
      writeDirectoryAtomic(target, async (temporary) => {
        await writeFile(join(temporary, 'half.bin'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await listFiles(dir())).toEqual(['ckpt/good.bin']);
    expect(await readFile(join(target, 'good.bin'), 'utf8')).toBe('good');
  });
});
