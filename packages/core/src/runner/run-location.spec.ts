import { mkdir, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../testing/index.js';
import { claimNewRunFolder, latestRunFolder, newRunFolder } from './run-location.js';

describe('newRunFolder', () => {
  const dir = useTempDir('runs');

  it('uses <name> first, then <name>-2, <name>-3, ...', async () => {
    const runs = join(dir(), 'runs');
    expect(newRunFolder(runs, 'quick')).toBe(join(runs, 'quick'));
    await mkdir(join(runs, 'quick'), { recursive: true });
    expect(newRunFolder(runs, 'quick')).toBe(join(runs, 'quick-2'));
    await mkdir(join(runs, 'quick-2'));
    await mkdir(join(runs, 'quick-4'));
    expect(newRunFolder(runs, 'quick')).toBe(join(runs, 'quick-3'));
  });

  it('does not create anything', () => {
    const runs = join(dir(), 'runs');
    newRunFolder(runs, 'x');
    expect(latestRunFolder(runs, 'x')).toBeUndefined();
  });
});

describe('latestRunFolder', () => {
  const dir = useTempDir('runs-latest');

  async function run(name: string, withState = true): Promise<void> {
    await mkdir(join(dir(), name), { recursive: true });
    if (withState) await writeFile(join(dir(), name, 'run.json'), '{}');
  }

  it('is undefined when the runs folder or the runs do not exist', async () => {
    expect(latestRunFolder(join(dir(), 'nope'), 'quick')).toBeUndefined();
    await run('other');
    expect(latestRunFolder(dir(), 'quick')).toBeUndefined();
  });

  it('picks the highest number (numerically) that has a run.json', async () => {
    await run('quick');
    await run('quick-2');
    await run('quick-10');
    await run('quick-11', false);
    expect(latestRunFolder(dir(), 'quick')).toBe(join(dir(), 'quick-10'));
  });

  it('counts the bare name as run 1', async () => {
    await run('quick');
    expect(latestRunFolder(dir(), 'quick')).toBe(join(dir(), 'quick'));
  });

  it('ignores other names that share a prefix and escapes regex characters in the name', async () => {
    await run('v5.s');
    await run('v5xs-3');
    await run('v5.s-extra');
    await run('v5.s-2x');
    expect(latestRunFolder(dir(), 'v5.s')).toBe(join(dir(), 'v5.s'));
  });
});

describe('claimNewRunFolder', () => {
  const dir = useTempDir('runs-claim');

  it('creates <name>, then <name>-2, ...: each call gets a folder no other call got', async () => {
    const runs = join(dir(), 'runs');
    const claimed = await Promise.all(Array.from({ length: 4 }, async () => claimNewRunFolder(runs, 'twin')));
    expect(claimed.sort()).toEqual([join(runs, 'twin'), join(runs, 'twin-2'), join(runs, 'twin-3'), join(runs, 'twin-4')]);
    expect(readdirSync(runs).sort()).toEqual(['twin', 'twin-2', 'twin-3', 'twin-4']);
  });

  it('says what could not be created and why', async () => {
    const file = join(dir(), 'a-file');
    await writeFile(file, 'x');
    expect(() => claimNewRunFolder(join(file, 'runs'), 'x')).toThrow(`cannot create the runs folder ${join(file, 'runs')}: a part of the path is a file, not a folder (ENOTDIR)`);
  });
});
