import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { listFiles, useTempDir } from './temp-dir.js';

const seen: string[] = [];

describe('useTempDir', () => {
  const dir = useTempDir('testing');

  it('gives each test its own folder under the system temp dir', async () => {
    seen.push(dir());
    expect(dirname(dir())).toBe(tmpdir());
    expect(basename(dir())).toMatch(/^yolo-distill-testing-/);
    await mkdir(join(dir(), 'a', 'b'), { recursive: true });
    await writeFile(join(dir(), 'a', 'b', 'z.txt'), 'z');
    await writeFile(join(dir(), 'top.txt'), 't');
    expect(await listFiles(dir())).toEqual(['a/b/z.txt', 'top.txt']);
  });

  it('removes the previous folder and makes a new one', () => {
    expect(seen).toHaveLength(1);
    expect(existsSync(seen[0] as string)).toBe(false);
    expect(dir()).not.toBe(seen[0]);
  });
});

describe('useTempDir outside a test', () => {
  const dir = useTempDir('outside');
  let outside: unknown;
  try {
    dir();
  } catch (error) {
    outside = error;
  }
  it('throws when read where no folder exists (while the describe is collected)', () => {
    expect(String(outside)).toContain('the temporary folder exists only inside a test');
  });
});
