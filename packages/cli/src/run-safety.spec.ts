import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readRunState, RunFolder } from '@yolo-distill/core';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { resetCountingFailures, testPlugin } from './test-support/counting-stage.js';

// Runs that cannot lose work: resume with the run's own settings, one folder per run, SIGTERM and kill -9,
// the whole metric history. Each ends where an uninterrupted run ends, number for number.
const box = cliSandbox('yd-safety-');
const cli = (...argv: string[]) => runCli(argv, { io: box.io, plugins: [testPlugin] });
const workspace = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

beforeEach(() => resetCountingFailures());

function pipeline(name: string, stage: string, runs = join(box.dir, 'runs')): string {
  const file = join(box.dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nseed: 3\nruns: ${runs}\nstages:\n  - { name: walk, type: test.Counting, ${stage} }\n`);
  return file;
}

interface Metrics {
  final: Record<string, Record<string, number>>;
  history: { stage: number; name: string; value: number; epoch?: number }[];
}
const metricsOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as Metrics;
const eventsOf = (folder: string) =>
  readFileSync(join(folder, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; epoch?: number });

/** The metrics of the same pipeline run straight through, in a folder of its own. */
async function uninterrupted(stage: string): Promise<Metrics> {
  const runs = join(box.dir, 'straight-runs');
  expect(await cli('run', pipeline('straight', stage, runs))).toBe(0);
  return metricsOf(join(runs, 'straight'));
}

/** A `yolo-distill` process (main.ts's signal handling + the test plugin), from source. */
function cliProcess(args: string[]): { child: ReturnType<typeof spawn>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  // tsx as a loader of this node process (not its wrapper, which would run the CLI in a child), so the signals reach the CLI itself.
  const child = spawn(process.execPath, ['--conditions=@yolo-distill/source', '--import', pathToFileURL(join(workspace, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(workspace, 'packages/cli/src/test-support/cli-process.ts'), ...args], {
    cwd: box.dir,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(workspace, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exit };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The epoch of the newest `last` checkpoint of stage 0, once one exists. */
function checkpointEpoch(folder: string): number | undefined {
  const meta = join(folder, 'checkpoints', '00-walk', 'last', 'meta.json');
  if (!existsSync(meta)) return undefined;
  try {
    return (JSON.parse(readFileSync(meta, 'utf8')) as { meta: { epoch: number } }).meta.epoch;
  } catch {
    return undefined;
  }
}

describe('resume continues with the run\'s own settings', () => {
  it('a run started with --set epochs=6 that failed at epoch 3 resumes without the --set and runs all 6 epochs', async () => {
    const file = pipeline('walk', 'epochs: 2, failAtEpoch: 3');
    expect(await cli('run', file, '--set', 'stages[0].epochs=6')).toBe(1);
    const folder = join(box.dir, 'runs', 'walk');
    expect(await cli('run', file, '--resume')).toBe(0);
    expect(box.err).toContain(`resuming with the run's own settings (${folder}/config.resolved.yaml); ${file} differs from them and is not used`);
    const epochs = eventsOf(folder).filter((event) => event.type === 'epoch-end').map((event) => event.epoch);
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5]);
    const straight = await uninterrupted('epochs: 6');
    expect(metricsOf(folder)).toEqual({ final: { walk: { value: straight.final['walk']?.['value'] } }, history: straight.history });
    expect(readFileSync(join(folder, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 6);
  });

  it('refuses a --set that conflicts with the run being resumed, and accepts one that repeats its value', async () => {
    const file = pipeline('walk', 'epochs: 2, failAtEpoch: 1');
    expect(await cli('run', file, '--set', 'stages[0].epochs=4')).toBe(1);
    const folder = join(box.dir, 'runs', 'walk');
    box.clearOutput();
    expect(await cli('run', file, '--resume', '--set', 'stages[0].epochs=5')).toBe(2);
    expect(box.err.trim()).toBe(
      `${folder}/config.resolved.yaml (--set stages[0].epochs=5):1:1: --set stages[0].epochs=5 conflicts with the run being resumed, which continues with its own settings; start a new run to change it (only workers and backend may change on resume)`,
    );
    expect(await cli('run', file, '--resume', '--set', 'stages[0].epochs=4')).toBe(0);
    expect(eventsOf(folder).filter((event) => event.type === 'epoch-end')).toHaveLength(4);
  });
});

describe('one folder per run', () => {
  it('gives two runs started at once with one name their own folders, each with its own events', async () => {
    const file = pipeline('twin', 'epochs: 3, sleepMs: 20');
    expect(await Promise.all([cli('run', file), cli('run', file)])).toEqual([0, 0]);
    const runs = join(box.dir, 'runs');
    expect(readdirSync(runs).sort()).toEqual(['twin', 'twin-2']);
    for (const folder of ['twin', 'twin-2']) {
      const events = eventsOf(join(runs, folder));
      expect(events.filter((event) => event.type === 'run-start')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'epoch-end')).toHaveLength(3);
      expect(existsSync(join(runs, folder, 'run.lock'))).toBe(false);
    }
  });

  it('refuses to resume a run another process is running, naming that process', async () => {
    const file = pipeline('busy', 'epochs: 6, sleepMs: 150');
    const folder = join(box.dir, 'runs', 'busy');
    const first = cli('run', file);
    await until(() => existsSync(join(folder, 'run.lock')) && existsSync(join(folder, 'run.json')), 'the first run to take its lock');
    expect(await cli('run', file, '--resume', folder)).toBe(2);
    expect(box.err).toMatch(new RegExp(`error: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process ${process.pid} on .* \\(since .*\\); wait for it to end, or stop it first`));
    expect(await first).toBe(0);
    expect(eventsOf(folder).filter((event) => event.type === 'run-start')).toHaveLength(1);
  });

  it('removes the folder it claimed when the pipeline fails to build', async () => {
    const file = join(box.dir, 'bad.yaml');
    writeFileSync(file, `name: bad\nruns: ${join(box.dir, 'runs')}\ndata: { type: data.YoloDataset, root: ${join(box.dir, 'nowhere')}, imgsz: 64 }\nstages:\n  - { type: test.Counting, epochs: 1 }\n`);
    expect(await runCli(['run', file], { io: box.io, plugins: [testPlugin, ...(await import('./builtin-plugins.js')).builtinPlugins()] })).not.toBe(0);
    expect(existsSync(join(box.dir, 'runs', 'bad'))).toBe(false);
  });
});

describe('signals and kills', () => {
  it('stops on SIGTERM after the current step, records the run as aborted (exit 130), and resumes to the uninterrupted result', async () => {
    const file = pipeline('term', 'epochs: 8, sleepMs: 250');
    const folder = join(box.dir, 'runs', 'term');
    const { child, exit } = cliProcess(['run', file]);
    await until(() => (checkpointEpoch(folder) ?? -1) >= 1, 'the second checkpoint');
    child.kill('SIGTERM');
    const ended = await exit;
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain('SIGTERM: stopping after the current step (SIGTERM again to quit now)');
    const state = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string };
    expect(state.status).toBe('aborted');
    expect(existsSync(join(folder, 'run.lock'))).toBe(false);
    expect(await cli('run', file, '--resume')).toBe(0);
    const straight = await uninterrupted('epochs: 8, sleepMs: 0');
    expect(metricsOf(folder).final).toEqual(straight.final);
    expect(metricsOf(folder).history).toEqual(straight.history);
  }, 120_000);

  it('stops like SIGTERM when its stdout is closed (run --json | head): aborted, exit 130, no EPIPE crash', async () => {
    const file = pipeline('pipe', 'epochs: 8, sleepMs: 250');
    const folder = join(box.dir, 'runs', 'pipe');
    const { child, exit } = cliProcess(['run', file, '--json']);
    let first = '';
    await new Promise<void>((resolve) =>
      child.stdout?.on('data', (chunk: Buffer) => {
        first += chunk.toString();
        // What `head -1` does: read a line, then close the pipe.
        if (first.includes('\n')) {
          child.stdout?.destroy();
          resolve();
        }
      }),
    );
    expect(JSON.parse(first.split('\n')[0] as string)).toMatchObject({ type: 'run-start' });
    const ended = await exit;
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain('stdout was closed (EPIPE): stopping after the current step');
    expect(ended.stderr).not.toMatch(/Unhandled|at Socket|errno/);
    expect((JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string }).status).toBe('aborted');
    expect(existsSync(join(folder, 'run.lock'))).toBe(false);
  }, 120_000);

  it('shows a run killed with -9 as interrupted, cleans its unfinished writes at resume, and ends where an uninterrupted run ends', async () => {
    const file = pipeline('nine', 'epochs: 8, sleepMs: 250');
    const folder = join(box.dir, 'runs', 'nine');
    const { child, exit } = cliProcess(['run', file]);
    await until(() => (checkpointEpoch(folder) ?? -1) >= 2, 'the third checkpoint');
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    expect((JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { status: string }).status).toBe('running');
    expect((await readRunState(new RunFolder(folder)))?.status).toBe('interrupted');
    // What a kill in the middle of a checkpoint save leaves.
    const torn = join(folder, 'checkpoints', '00-walk', 'last.tmp-999999-abcdef01');
    mkdirSync(torn, { recursive: true });
    writeFileSync(join(torn, 'meta.json'), '{"me');
    box.clearOutput();
    expect(await cli('run', file, '--resume')).toBe(0);
    expect(box.err).toMatch(/the run was interrupted: process \d+ \(started .*\) is gone; continuing from its last checkpoint/);
    expect(existsSync(torn)).toBe(false);
    const straight = await uninterrupted('epochs: 8, sleepMs: 0');
    expect(metricsOf(folder).final).toEqual(straight.final);
    expect(metricsOf(folder).history).toEqual(straight.history);
  }, 120_000);
});

describe('the loss guard', () => {
  it('stops a run whose loss explodes (Adam at lr 1e5) in its first steps, naming the term, instead of completing', async () => {
    const file = join(box.dir, 'boom.yaml');
    writeFileSync(
      file,
      `name: boom\nseed: 3\nbackend: wasm\nruns: ${join(box.dir, 'runs')}\n` +
        `data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 32, val: 8, seed: 2 }\n` +
        'student: { type: yolov5.Model, scale: n, seed: 1 }\n' +
        'stages:\n  - { type: trainer.Train, epochs: 3, batch: 8, optimizer: { type: adam, lr: 100000 }, schedule: { warmupEpochs: 0 }, validate: { every: 0 } }\n',
    );
    const { builtinPlugins } = await import('./builtin-plugins.js');
    expect(await runCli(['run', file], { io: box.io, plugins: builtinPlugins() })).toBe(1);
    expect(box.err).toMatch(/error: trainer\.Train: the loss exploded: the total grew from \d\.\d+ to \d\.\d+e\+\d+ \(more than 1000x, smoothed\) by epoch 1, step 2; term 'native' grew most/);
    const state = JSON.parse(readFileSync(join(box.dir, 'runs', 'boom', 'run.json'), 'utf8')) as { status: string; stages: { status: string }[] };
    expect([state.status, state.stages[0]?.status]).toEqual(['failed', 'failed']);
  }, 60_000);
});
