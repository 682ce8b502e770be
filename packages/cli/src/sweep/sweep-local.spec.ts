import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli.js';
import { cliChild } from '../test-support/cli-child.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { testPlugin } from '../test-support/counting-stage.js';
import { checkpointEpoch, eventsOf, metricsOf, runFolders, until, WALK_RUNS, writeWalkSweep } from './sweep-test-files.js';

const box = cliSandbox('yd-sweep-local-');

const lastValue = (folder: string): number => metricsOf(folder).history.filter((record) => record.name === 'value').at(-1)?.value ?? Number.NaN;

describe('a local sweep', () => {
  it('runs every run in 2 processes, skips them all when started again, and reports mean, 95% CI and paired gains', async () => {
    const runs = join(box.dir, 'runs');
    const file = writeWalkSweep(box.dir, 'walk', 'epochs: 4', runs);
    const first = await cliChild(['sweep', file, '--local', '2'], box.dir).exit;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('w: 4/4 runs completed\n');
    expect(first.stderr).toContain('w-big-seed2: started\n');
    expect(first.stderr).toContain('w-big-seed2: stage 0 epoch 4/4\n');
    expect(runFolders(runs)).toEqual([...WALK_RUNS].sort());

    const again = await cliChild(['sweep', file, '--local', '2'], box.dir).exit;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('sweep w: 4 runs (2 variants x 2 seeds), 4 completed already');
    for (const run of WALK_RUNS) expect(eventsOf(join(runs, run)).filter((event) => event.type === 'run-start')).toHaveLength(1);

    let out = '';
    expect(await runCli(['sweep', 'report', file, '--json'], { io: { stdout: (t) => void (out += t), stderr: () => undefined, interactive: false, env: {} }, plugins: [testPlugin] })).toBe(0);
    const report = JSON.parse(out) as { variants: { variant: string; seeds: number[]; metrics: { value: { mean: number; ci95: number; n: number } }; gains?: { value: { mean: number; ci95: number; n: number } } }[]; missing: string[] };
    expect(report.missing).toEqual([]);
    const plain = [lastValue(join(runs, 'w-plain-seed1')), lastValue(join(runs, 'w-plain-seed2'))];
    const big = [lastValue(join(runs, 'w-big-seed1')), lastValue(join(runs, 'w-big-seed2'))];
    // Hand formulas for two values: the mean, and t(1 df) = 12.706 times |a - b| / 2 (sd / sqrt(2) = |a - b| / 2).
    const halfWidth = ([a, b]: number[]) => (12.706 * Math.abs((a ?? 0) - (b ?? 0))) / 2;
    const [plainRow, bigRow] = report.variants;
    expect(plainRow?.variant).toBe('plain');
    expect(plainRow?.seeds).toEqual([1, 2]);
    expect(plainRow?.metrics.value.mean).toBeCloseTo(((plain[0] ?? 0) + (plain[1] ?? 0)) / 2, 12);
    expect(plainRow?.metrics.value.ci95).toBeCloseTo(halfWidth(plain), 12);
    expect(plainRow?.gains).toBeUndefined();
    // The same seed walks the same steps: lr 0.5 lands at 5x lr 0.1's value, so each paired gain is 4x the baseline's value.
    expect((big[0] ?? 0) / (plain[0] ?? 1)).toBeCloseTo(5, 9);
    const gains = plain.map((value) => 4 * value);
    expect(bigRow?.gains?.value.mean).toBeCloseTo(((gains[0] ?? 0) + (gains[1] ?? 0)) / 2, 9);
    expect(bigRow?.gains?.value.ci95).toBeCloseTo(halfWidth(gains), 9);

    out = '';
    expect(await runCli(['sweep', 'report', file], { io: { stdout: (t) => void (out += t), stderr: () => undefined, interactive: false, env: {} }, plugins: [testPlugin] })).toBe(0);
    expect(out.split('\n').slice(0, 5)).toEqual([
      '## Sweep w',
      '',
      '| variant | seeds | value | gain value vs plain (paired) |',
      '|---|---|---|---|',
      `| plain | 1, 2 | ${plainRow?.metrics.value.mean.toFixed(4)} ± ${plainRow?.metrics.value.ci95.toFixed(4)} | baseline |`,
    ]);
    expect(readFileSync(join(runs, 'w.report.md'), 'utf8')).toBe(out);
    const html = readFileSync(join(runs, 'w.report.html'), 'utf8');
    expect(html).toContain(`<tr><td>plain</td><td>1, 2</td><td>${plainRow?.metrics.value.mean.toFixed(4)} ± ${plainRow?.metrics.value.ci95.toFixed(4)}</td><td>baseline</td></tr>`);
    expect((JSON.parse(readFileSync(join(runs, 'w.report.json'), 'utf8')) as { variants: unknown[] }).variants).toEqual(report.variants);

    out = '';
    expect(await runCli(['sweep', file, '--list'], { io: { stdout: (t) => void (out += t), stderr: () => undefined, interactive: false, env: {} }, plugins: [testPlugin] })).toBe(0);
    expect(out.trim().split('\n')).toEqual([
      'w-plain-seed1\tcompleted\tseed=1',
      'w-plain-seed2\tcompleted\tseed=2',
      'w-big-seed1\tcompleted\tstages[0].lr=0.5 seed=1',
      'w-big-seed2\tcompleted\tstages[0].lr=0.5 seed=2',
    ]);
  }, 120_000);

  it('SIGTERM stops the running runs after their step (aborted, resumable) and starts no more; run again, the sweep resumes them', async () => {
    const runs = join(box.dir, 'runs');
    const file = writeWalkSweep(box.dir, 'walk', 'epochs: 8, sleepMs: 500', runs);
    const sweep = cliChild(['sweep', file, '--local', '2'], box.dir);
    const [first, second] = WALK_RUNS.slice(0, 2).map((run) => join(runs, run)) as [string, string];
    await until(() => checkpointEpoch(first) >= 0 && checkpointEpoch(second) >= 0, 'both first runs to checkpoint');
    sweep.child.kill('SIGTERM');
    const stopped = await sweep.exit;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('interrupted; run the sweep again to resume its runs');
    expect(runFolders(runs)).toEqual([WALK_RUNS[1], WALK_RUNS[0]].sort());
    for (const folder of [first, second]) {
      expect((JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string }).status).toBe('aborted');
      expect(existsSync(join(folder, 'run.lock'))).toBe(false);
    }
    const again = await cliChild(['sweep', file, '--local', '2'], box.dir).exit;
    expect(again.code, again.stderr).toBe(0);
    for (const run of WALK_RUNS) {
      const events = eventsOf(join(runs, run));
      expect(events.filter((event) => event.type === 'run-end' && event.status === 'completed'), run).toHaveLength(1);
      expect(events.filter((event) => event.type === 'epoch-end'), run).toHaveLength(8);
    }
    expect(eventsOf(first).filter((event) => event.type === 'run-start').map((event) => event.resumed)).toEqual([false, true]);
  }, 120_000);
});
