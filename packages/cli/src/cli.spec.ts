import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import type { CliIO } from './cli-io.js';
import { resetCountingFailures, testPlugin } from './test-support/counting-stage.js';

let workdir: string;
let out: string;
let err: string;
const io: CliIO = {
  stdout: (text) => {
    out += text;
  },
  stderr: (text) => {
    err += text;
  },
  interactive: false,
  env: {},
};

function pipeline(name: string, text: string): string {
  const file = join(workdir, name);
  writeFileSync(file, text);
  return file;
}

const cli = (...argv: string[]) => runCli(argv, { io, plugins: [testPlugin] });
const runsDir = () => join(workdir, 'runs');

beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'yd-cli-'));
  out = '';
  err = '';
  resetCountingFailures();
});
afterEach(() => rmSync(workdir, { recursive: true, force: true }));

const good = (runs: string) => `name: walk
seed: 3
backend: cpu
runs: ${runs}
stages:
  - name: warm
    type: test.Counting
    epochs: 2
  - type: test.Counting
    epochs: 3
    lr: 0.5
`;

describe('yolo-distill validate', () => {
  it('prints the outline of a valid pipeline and writes nothing', async () => {
    const file = pipeline('p.yaml', good(runsDir()));
    expect(await cli('validate', file)).toBe(0);
    expect(out).toContain('pipeline walk');
    expect(out).toMatch(/1\. warm\s+test\.Counting\s+epochs=2/);
    expect(out).toMatch(/2\. 1-counting\s+test\.Counting\s+epochs=3 lr=0\.5/);
    expect(out).toContain('ok: 2 plugins built on the cpu backend');
    expect(existsSync(runsDir())).toBe(false);
  });

  const badInputs: [string, string, RegExp][] = [
    ['an empty file', '', /p\.yaml:1:1: .*empty/],
    ['a YAML syntax error', 'stages:\n  - type: test.Counting\n    epochs: [1, 2\n', /p\.yaml:\d+:\d+: YAML syntax error/],
    ['an unknown plugin type', 'stages:\n  - type: test.Countin\n    epochs: 2\n', /p\.yaml:2:11: stages\[0\]\.type: unknown stage type 'test\.Countin'\. Did you mean 'test\.Counting'\?/],
    ['a missing required field', 'stages:\n  - type: test.Counting\n', /p\.yaml:2:5: stages\[0\]: missing required field 'epochs' \(expected a number\)/],
    ['a string where a number goes', 'stages:\n  - type: test.Counting\n    epochs: 2\n    lr: fast\n', /p\.yaml:4:9: stages\[0\]\.lr: expected a number, found string "fast"/],
    ['negative epochs', 'stages:\n  - type: test.Counting\n    epochs: -3\n', /p\.yaml:3:13: stages\[0\]\.epochs: expected a number > 0, found number -3/],
    ['a typo in a key', 'stages:\n  - type: test.Counting\n    epochs: 2\n    lrr: 0.1\n', /p\.yaml:4:5: stages\[0\]\.lrr: unknown key 'lrr' \(did you mean 'lr'\?\)/],
  ];
  it.each(badInputs)('rejects %s with exit code 2, file:line:col and nothing written', async (_label, text, expected) => {
    const file = pipeline('p.yaml', text);
    const code = await cli('run', file, '--set', `runs=${runsDir()}`);
    expect(code).toBe(2);
    expect(err).toMatch(expected);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(runsDir())).toBe(false);
  });

  it('applies --set overrides and reports a bad override by its flag', async () => {
    const file = pipeline('p.yaml', good(runsDir()));
    expect(await cli('validate', file, '--set', 'stages[1].epochs=7')).toBe(0);
    expect(out).toMatch(/1-counting\s+test\.Counting\s+epochs=7/);
    out = '';
    expect(await cli('validate', file, '--set', 'stages[0].epochs=zero')).toBe(2);
    expect(err).toContain('(--set stages[0].epochs=zero)');
    expect(err).toContain('expected a number, found string "zero"');
  });
});

describe('yolo-distill run', () => {
  it('runs the stages and writes the run folder', async () => {
    const file = pipeline('p.yaml', good(runsDir()));
    expect(await cli('run', file)).toBe(0);
    const folder = join(runsDir(), 'walk');
    expect(out.trim()).toBe(`completed: ${folder}`);
    expect(readdirSync(folder).sort()).toEqual(['checkpoints', 'config.resolved.yaml', 'events.jsonl', 'metrics.json', 'plots', 'report.html', 'results.csv', 'run.json']);
    const csv = readFileSync(join(folder, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('stage,epoch,time,train/value,lr/pg0,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B)');
    expect(csv).toHaveLength(1 + 5);
    const state = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string; backend: { name: string } };
    expect(state.status).toBe('completed');
    expect(state.backend.name).toBe('cpu');
    const events = readFileSync(join(folder, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events.filter((event) => event.type === 'epoch-end')).toHaveLength(5);
    expect(err).toContain('[2/2] 1-counting (test.Counting)');
    expect(await cli('run', file)).toBe(0);
    expect(existsSync(join(runsDir(), 'walk-2', 'run.json'))).toBe(true);
  });

  it('resumes a failed run from its last checkpoint and ends where an uninterrupted run ends', async () => {
    const text = good(runsDir()).replace('lr: 0.5', 'lr: 0.5\n    failAtEpoch: 2');
    const file = pipeline('p.yaml', text);
    expect(await cli('run', file)).toBe(1);
    expect(err).toContain('planned failure at epoch 2');
    expect(await cli('run', file, '--resume')).toBe(0);
    const resumed = JSON.parse(readFileSync(join(runsDir(), 'walk', 'metrics.json'), 'utf8')) as { final: Record<string, { value: number }> };

    const clean = pipeline('q.yaml', good(join(workdir, 'clean-runs')));
    expect(await cli('run', clean)).toBe(0);
    const uninterrupted = JSON.parse(readFileSync(join(workdir, 'clean-runs', 'walk', 'metrics.json'), 'utf8')) as typeof resumed;
    expect(resumed.final['1-counting']?.value).toBeCloseTo(uninterrupted.final['1-counting']?.value ?? NaN, 12);
    expect(resumed.final['warm']?.value).toBeCloseTo(uninterrupted.final['warm']?.value ?? NaN, 12);
  });

  it('says so when there is nothing to resume', async () => {
    const file = pipeline('p.yaml', good(runsDir()));
    expect(await cli('run', file, '--resume')).toBe(2);
    expect(err).toContain("--resume found no earlier run of 'walk'");
  });
});

describe('yolo-distill plugins', () => {
  it('lists types by kind', async () => {
    expect(await cli('plugins')).toBe(0);
    expect(out).toMatch(/stage\n\s+test\.Counting\s+a random walk/);
  });
});

describe('yolo-distill data', () => {
  it('synthesises a shapes dataset and checks it clean (exit 0)', async () => {
    const out = join(workdir, 'shapes');
    expect(await runCli(['data', 'synth', '--out', out, '--train', '4', '--val', '2', '--imgsz', '64', '--classes', '3'], { io })).toBe(0);
    expect(existsSync(join(out, 'data.yaml'))).toBe(true);
    expect(await runCli(['data', 'check', out, '--json'], { io })).toBe(0);
  });
});
