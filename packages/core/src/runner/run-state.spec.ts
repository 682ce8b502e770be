import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunFolder } from '../services/run-folder.js';
import { useTempDir } from '../testing/index.js';
import { readRunState, type RunState } from './run-state.js';

describe('readRunState', () => {
  const dir = useTempDir('run-state');

  it('is undefined when there is no run.json', async () => {
    expect(await readRunState(new RunFolder(join(dir(), 'none')))).toBeUndefined();
  });

  it('reads run.json', async () => {
    const state: RunState = {
      version: 1,
      name: 'quick',
      pipeline: 'quick.yaml',
      seed: 0,
      backend: { name: 'cpu' },
      status: 'failed',
      startedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:01.000Z',
      error: 'boom',
      stages: [{ name: 'a', type: 't.A', status: 'done', seconds: 1 }],
    };
    const folder = new RunFolder(dir());
    await folder.writeJson('run.json', state);
    expect(await readRunState(folder)).toEqual(state);
  });

  it('says the run cannot be resumed when run.json is not JSON', async () => {
    await writeFile(join(dir(), 'run.json'), '{"version": 1,');
    await expect(readRunState(new RunFolder(dir()))).rejects.toThrow(`${join(dir(), 'run.json')} is not valid JSON (`);
    await expect(readRunState(new RunFolder(dir()))).rejects.toThrow('the run cannot be resumed');
  });
});
