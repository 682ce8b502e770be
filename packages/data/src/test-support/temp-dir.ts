import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under os.tmpdir() for each test of the calling `describe`, removed afterwards. */
export function useTempDir(prefix: string): () => string {
  let directory: string | undefined;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), `yolo-distill-data-${prefix}-`));
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
