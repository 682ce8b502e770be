import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles, useTempDir } from '../testing/index.js';
import { RunFolder } from './run-folder.js';

describe('RunFolder', () => {
  const dir = useTempDir('run-folder');

  it('creates nothing until the first write', () => {
    const folder = new RunFolder(join(dir(), 'runs', 'quick'));
    expect(folder.path('run.json')).toBe(join(dir(), 'runs', 'quick', 'run.json'));
    expect(folder.path('checkpoints', '00-a')).toBe(join(dir(), 'runs', 'quick', 'checkpoints', '00-a'));
    expect(folder.exists()).toBe(false);
    expect(existsSync(join(dir(), 'runs'))).toBe(false);
  });

  it('writes JSON with a trailing newline and text as given', async () => {
    const folder = new RunFolder(join(dir(), 'runs', 'quick'));
    await folder.writeJson('run.json', { status: 'running', stages: [1] });
    expect(folder.exists()).toBe(true);
    expect(await readFile(folder.path('run.json'), 'utf8')).toBe('{\n  "status": "running",\n  "stages": [\n    1\n  ]\n}\n');
    await folder.writeText('sub/config.resolved.yaml', 'seed: 1\n');
    expect(await readFile(folder.path('sub', 'config.resolved.yaml'), 'utf8')).toBe('seed: 1\n');
  });

  it('appends lines in order, creating the folder on the first one', async () => {
    const folder = new RunFolder(join(dir(), 'r'));
    folder.appendLine('events.jsonl', '{"a":1}');
    folder.appendLine('events.jsonl', '{"a":2}');
    expect(await readFile(folder.path('events.jsonl'), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(await listFiles(dir())).toEqual(['r/events.jsonl']);
  });
});
