import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh folder `yolo-distill-<prefix>-XXXXXX` under os.tmpdir(). */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `yolo-distill-${prefix}-`));
}

/**
 * A fresh folder under os.tmpdir() for each test of the calling `describe`, removed afterwards.
 * Returns a getter, since the folder exists only while a test runs.
 */
export function useTempDir(prefix: string): () => string {
  let directory: string | undefined;
  beforeEach(async () => {
    directory = await makeTempDir(prefix);
  });
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return () => {
    if (!directory) throw new Error('the temporary folder exists only inside a test');
    return directory;
  };
}

/** Every file below `root`, as sorted paths relative to it with `/` separators. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}
