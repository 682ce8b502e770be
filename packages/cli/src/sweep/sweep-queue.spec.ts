import { basename, join } from 'node:path';
import { readRunLock } from '@yolo-distill/core';
import { runCli } from '../cli.js';
import { cliChild, type CliChild } from '../test-support/cli-child.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { testPlugin } from '../test-support/counting-stage.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../test-support/redis-server.js';
import { checkpointEpoch, eventsOf, metricsOf, runFolders, until, WALK_RUNS, writeWalkSweep } from './sweep-test-files.js';

// Sweeps on a real redis-server (Debian's package, on a free loopback port, no persistence) drained by
// `yolo-distill worker` processes: BullMQ's job locks, stalled-job retries and the run folders' own locks.
const available = hasRedisServer();
const NO_REDIS = 'SKIPPED: redis-server is not installed here (.ci/run installs it: apt-get install -y redis-server)';
if (!available) console.warn(`sweep-queue.spec: the queue tests are ${NO_REDIS}`);

const box = cliSandbox('yd-sweep-queue-');
let redis: RedisServer | undefined;
beforeAll(async () => {
  if (available) redis = await startRedisServer();
}, 30_000);
afterAll(async () => redis?.stop());

const url = () => (redis as RedisServer).url;
const silent = { stdout: () => undefined, stderr: () => undefined, interactive: false, env: {} };

/** A worker that exits once the queue is empty (start it after the sweep is queued); its BullMQ lock (the heartbeat) lapses 1.5 s after it stops renewing. */
async function startWorker(queueName: string): Promise<CliChild> {
  const worker = cliChild(['worker', '--queue', url(), '--queue-name', queueName, '--drain', '--lock-ms', '1500'], box.dir);
  await until(() => worker.output().stderr.includes(' on redis://'), 'the worker to connect');
  return worker;
}

const completedEnds = (folder: string) => eventsOf(folder).filter((event) => event.type === 'run-end' && event.status === 'completed').length;

describe.skipIf(!available)(`sweeps on a BullMQ queue${available ? '' : ` (${NO_REDIS})`}`, () => {
  it('two workers drain a 4-run sweep, each taking runs, every run completed once in the shared folder', async () => {
    const runs = join(box.dir, 'shared');
    const file = writeWalkSweep(box.dir, 'walk', 'epochs: 4, sleepMs: 400', runs);
    expect(await runCli(['sweep', file, '--queue', url(), '--queue-name', 'drain'], { io: silent, plugins: [testPlugin] })).toBe(0);
    const workers = await Promise.all([startWorker('drain'), startWorker('drain')]);
    const ends = await Promise.all(workers.map((worker) => worker.exit));
    for (const end of ends) expect(end.code, end.stderr).toBe(0);
    expect(runFolders(runs)).toEqual([...WALK_RUNS].sort());
    for (const run of WALK_RUNS) expect(completedEnds(join(runs, run))).toBe(1);
    for (const end of ends) expect(end.stderr).toMatch(/w-\S+-seed\d: completed/);
  }, 120_000);

  it('a worker killed with -9 mid-run leaves its run to the other, which resumes it: every run completed exactly once, the metrics of a local sweep', async () => {
    const runs = join(box.dir, 'shared');
    const file = writeWalkSweep(box.dir, 'walk', 'epochs: 6, sleepMs: 300', runs);
    expect(await runCli(['sweep', file, '--queue', url(), '--queue-name', 'kill'], { io: silent, plugins: [testPlugin] })).toBe(0);
    const [victim, survivor] = (await Promise.all([startWorker('kill'), startWorker('kill')])) as [CliChild, CliChild];
    // Once the victim's run (its run.lock names its process) has a checkpoint past epoch 0, kill the victim.
    let held = '';
    await until(() => {
      held = WALK_RUNS.map((run) => join(runs, run)).find((folder) => readRunLock(folder)?.pid === victim.child.pid && checkpointEpoch(folder) >= 1) ?? '';
      return held !== '';
    }, 'the victim to checkpoint a run');
    victim.child.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    const end = await survivor.exit;
    expect(end.code, end.stderr).toBe(0);
    expect(end.stderr).toMatch(new RegExp(`${basename(held)}: taken by \\S+ \\(attempt 1, after 1 stalled worker\\(s\\)\\)`));

    expect(runFolders(runs)).toEqual([...WALK_RUNS].sort());
    for (const run of WALK_RUNS) expect(completedEnds(join(runs, run)), run).toBe(1);
    const starts = eventsOf(held).filter((event) => event.type === 'run-start');
    expect(starts.map((event) => event.resumed)).toEqual([false, true]);

    const localRuns = join(box.dir, 'local');
    const local = await cliChild(['sweep', writeWalkSweep(box.dir, 'local', 'epochs: 6, sleepMs: 0', localRuns), '--local', '4'], box.dir).exit;
    expect(local.code, local.stderr).toBe(0);
    for (const run of WALK_RUNS) {
      const queued = metricsOf(join(runs, run));
      const straight = metricsOf(join(localRuns, run));
      expect(queued.final, run).toEqual(straight.final);
      expect(queued.history, run).toEqual(straight.history);
    }
  }, 180_000);
});
