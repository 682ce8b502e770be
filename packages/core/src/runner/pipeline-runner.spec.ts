import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { container, type DependencyContainer } from 'tsyringe';
import { ConfigLocation } from '../config/config-location.js';
import { InlineConfigSource } from '../config/config-source.js';
import type { Stage } from '../contracts/stage.js';
import type { BuiltPipeline } from '../pipeline/pipeline-builder.js';
import { PluginRef, type PluginDescriptor } from '../plugins/plugin.js';
import type { TimedRunEvent } from '../services/events.js';
import { FileCheckpointStore } from '../services/checkpoint-store.js';
import { SeededRng } from '../services/rng.js';
import { StreamLogger } from '../services/logger.js';
import type { BackendHandle } from '../services/tokens.js';
import { CountingStage, step } from '../test-support/counting-stage.js';
import { FakeModel } from '../test-support/fake-model.js';
import { listFiles, useTempDir } from '../testing/index.js';
import { PipelineRunner, STAGE_END_LABEL } from './pipeline-runner.js';
import { createRunContainer } from './run-container.js';
import { RUN_LOCK_FILE } from './run-lock.js';
import { readRunState, type RunState } from './run-state.js';
import { RunFolder } from '../services/run-folder.js';

/** The id of a process that has ended (a child run to completion). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const SEED = 5;
const RESOLVED = 'seed: 5\nstages:\n  - { type: test.Counting }\n';
const backend: BackendHandle = { name: 'cpu', threads: 2, describe: () => ({ name: 'cpu', threads: 2 }) };

const stageDescriptor: PluginDescriptor<unknown, Stage> = {
  type: 'test.Counting',
  kind: 'stage',
  summary: 'counts',
  parse: (raw) => raw,
  create: () => Promise.reject(new Error('runner specs build stages by hand')),
};

/** A built pipeline of the given stages (built by hand, as buildPipeline would) around one student. */
function pipelineOf(stages: readonly { name: string; stage: Stage }[], student?: FakeModel): BuiltPipeline {
  const at = new ConfigLocation(new InlineConfigSource('runner.yaml'));
  return {
    spec: {
      file: 'runner.yaml',
      name: 'runner',
      seed: SEED,
      backend: 'cpu',
      runsDir: 'runs',
      stages: stages.map(({ name }, index) => ({ name, ref: new PluginRef<Stage>(stageDescriptor, {}, at.child('stages').child(index)) })),
      resolvedText: RESOLVED,
    },
    models: student ? { student } : {},
    stages: stages.map(({ name, stage }) => ({ name, type: stageDescriptor.type, stage })),
  };
}

interface Harness {
  readonly container: DependencyContainer;
  readonly runner: PipelineRunner;
  readonly logs: string[];
}

/** A fresh run container over `folder`, as the CLI makes one per invocation. */
function harness(folder: string): Harness {
  const logs: string[] = [];
  const runContainer = createRunContainer(container, {
    info: { name: 'runner', seed: SEED, pipelineFile: 'runner.yaml' },
    folder,
    logger: new StreamLogger((line) => logs.push(line.trimEnd()), 'debug'),
    backend,
  });
  return { container: runContainer, runner: runContainer.resolve(PipelineRunner), logs };
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

async function eventsOf(folder: string): Promise<TimedRunEvent[]> {
  const text = await readFile(join(folder, 'events.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TimedRunEvent);
}

/** What the student's number must be after the stages, computed straight from the seeded RNG. */
function expectedWeights(stages: readonly { name: string; epochs: number }[]): number[] {
  const root = new SeededRng(SEED);
  let weight = 0;
  const afterStage: number[] = [];
  stages.forEach(({ name, epochs }, index) => {
    const rng = root.fork(`stage:${index}:${name}`);
    for (let epoch = 0; epoch < epochs; epoch++) weight = step(weight, rng);
    afterStage.push(weight);
  });
  return afterStage;
}

describe('PipelineRunner', () => {
  const dir = useTempDir('runner');
  const folderOf = (name: string) => join(dir(), 'runs', name);

  it('is resolved from a run container with every service injected', () => {
    const { runner } = harness(folderOf('di'));
    expect(runner).toBeInstanceOf(PipelineRunner);
    expect(existsSync(folderOf('di'))).toBe(false);
  });

  describe('a run that completes', () => {
    it('runs the stages in order and records events, state, metrics and the resolved config', async () => {
      const folder = folderOf('complete');
      const student = new FakeModel('student');
      const warmup = new CountingStage({ epochs: 2 });
      const distill = new CountingStage({ epochs: 1 });
      const { runner } = harness(folder);
      const result = await runner.run(
        pipelineOf(
          [
            { name: 'warmup', stage: warmup },
            { name: 'distill', stage: distill },
          ],
          student,
        ),
      );

      expect(result).toMatchObject({ status: 'completed', folder, ranStages: ['warmup', 'distill'], skippedStages: [] });
      expect(result.seconds).toBeGreaterThanOrEqual(0);
      expect(warmup.epochsRun).toEqual([0, 1]);
      expect(distill.epochsRun).toEqual([0]);
      const weights = expectedWeights([
        { name: 'warmup', epochs: 2 },
        { name: 'distill', epochs: 1 },
      ]);
      expect(student.weight).toBe(weights[1]);

      const events = await eventsOf(folder);
      expect(events.map((event) => `${event.type}${'stage' in event ? `:${event.stage}` : ''}${'epoch' in event && event.epoch !== undefined ? `.${event.epoch}` : ''}`)).toEqual([
        'run-start',
        'stage-start:0',
        'epoch-start:0.0',
        'metric:0.0',
        'checkpoint:0',
        'epoch-end:0.0',
        'epoch-start:0.1',
        'metric:0.1',
        'checkpoint:0',
        'epoch-end:0.1',
        'stage-end:0',
        'stage-start:1',
        'epoch-start:1.0',
        'metric:1.0',
        'checkpoint:1',
        'epoch-end:1.0',
        'stage-end:1',
        'run-end',
      ]);
      expect(events[0]).toMatchObject({ type: 'run-start', run: 'runner', pipeline: 'runner.yaml', seed: SEED, backend: 'cpu', resumed: false });
      expect(events[1]).toMatchObject({ type: 'stage-start', stage: 0, name: 'warmup', stageType: 'test.Counting' });
      expect(events[4]).toMatchObject({ type: 'checkpoint', stage: 0, label: 'epoch-0', path: join(folder, 'checkpoints', '00-warmup', 'epoch-0') });
      expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed' });
      expect(events.at(-1)).not.toHaveProperty('error');
      for (const event of events) expect(Number.isNaN(Date.parse(event.time))).toBe(false);

      const state = await readJson<RunState>(join(folder, 'run.json'));
      expect(state).toMatchObject({ version: 1, name: 'runner', pipeline: 'runner.yaml', seed: SEED, backend: { name: 'cpu', threads: 2 }, status: 'completed' });
      expect(state).not.toHaveProperty('error');
      expect(state.stages.map(({ name, type, status }) => ({ name, type, status }))).toEqual([
        { name: 'warmup', type: 'test.Counting', status: 'done' },
        { name: 'distill', type: 'test.Counting', status: 'done' },
      ]);
      for (const stage of state.stages) expect(stage.seconds).toBeGreaterThanOrEqual(0);

      const metrics = await readJson<{ final: Record<string, Record<string, number>>; history: unknown[] }>(join(folder, 'metrics.json'));
      expect(metrics.final).toEqual({ warmup: { weight: weights[0] }, distill: { weight: weights[1] } });
      expect(metrics.history).toHaveLength(3);

      expect(await readFile(join(folder, 'config.resolved.yaml'), 'utf8')).toBe(RESOLVED);
    });

    it('writes epoch checkpoints with the stage RNG state and a stage-end checkpoint of the student', async () => {
      const folder = folderOf('checkpoints');
      const student = new FakeModel('student');
      const { runner } = harness(folder);
      await runner.run(pipelineOf([{ name: 'warmup', stage: new CountingStage({ epochs: 2 }) }], student));
      expect((await listFiles(folder)).filter((file) => file.startsWith('checkpoints/'))).toEqual([
        'checkpoints/00-warmup/epoch-0/meta.json',
        'checkpoints/00-warmup/epoch-0/tensors.bin',
        'checkpoints/00-warmup/epoch-1/meta.json',
        'checkpoints/00-warmup/epoch-1/tensors.bin',
        'checkpoints/00-warmup/stage-end/meta.json',
        'checkpoints/00-warmup/stage-end/tensors.bin',
        'checkpoints/latest-stage-0.json',
        'checkpoints/latest.json',
      ]);
      const store = new FileCheckpointStore(join(folder, 'checkpoints'));
      const latest = await store.latest(0);
      expect(latest?.label).toBe(STAGE_END_LABEL);
      const end = await store.load(latest ?? { stage: 0, stageName: 'warmup', label: STAGE_END_LABEL, path: '' });
      expect(end.meta).toEqual({ weight: student.weight, stageComplete: true });
      expect([...(end.tensors['weight']?.data ?? [])]).toEqual([Math.fround(student.weight)]);

      // The RNG state saved with epoch 0 continues exactly as the stage's RNG did.
      const epoch0 = await store.load({ stage: 0, stageName: 'warmup', label: 'epoch-0', path: join(folder, 'checkpoints', '00-warmup', 'epoch-0') });
      const rng = new SeededRng(SEED).fork('stage:0:warmup');
      const before = step(0, rng);
      expect(epoch0.meta['weight']).toBe(before);
      expect(epoch0.meta['rng']).toEqual((rng as SeededRng).state());
    });

    it('shows the run and the stage as running while the stage runs', async () => {
      const folder = folderOf('running');
      const seen: RunState[] = [];
      const stage = new CountingStage({
        epochs: 1,
        afterEpoch: async (_epoch, context) => {
          seen.push(await readJson<RunState>(context.folder.path('run.json')));
        },
      });
      await harness(folder).runner.run(pipelineOf([{ name: 'only', stage }], new FakeModel('s')));
      expect(seen[0]?.status).toBe('running');
      expect(seen[0]?.stages[0]?.status).toBe('running');
    });

    it('gives every stage its own RNG stream, forked from the seed by index and name', async () => {
      const firsts: number[] = [];
      const recorder = (): Stage => ({ name: 'rec', run: async (context) => void firsts.push(context.rng.next()) });
      await harness(folderOf('rng')).runner.run(
        pipelineOf([
          { name: 'a', stage: recorder() },
          { name: 'b', stage: recorder() },
        ]),
      );
      const root = new SeededRng(SEED);
      expect(firsts).toEqual([root.fork('stage:0:a').next(), root.fork('stage:1:b').next()]);
      expect(firsts[0]).not.toBe(firsts[1]);
    });

    it('runs without a student and writes no stage-end checkpoint then', async () => {
      const folder = folderOf('no-student');
      const ran: number[] = [];
      await harness(folder).runner.run(pipelineOf([{ name: 'export', stage: { name: 'e', run: async (context) => void ran.push(context.index) } }]));
      expect(ran).toEqual([0]);
      expect(await listFiles(folder)).toEqual(['config.resolved.yaml', 'events.jsonl', 'metrics.json', 'run.json']);
    });
  });

  describe('a stage that fails', () => {
    it('marks the stage and the run failed, keeps what was done, and rethrows', async () => {
      const folder = folderOf('failed');
      const student = new FakeModel('student');
      const later = new CountingStage({ epochs: 1 });
      const { runner } = harness(folder);
      await expect(
        runner.run(
          pipelineOf(
            [
              { name: 'warmup', stage: new CountingStage({ epochs: 1 }) },
              { name: 'distill', stage: new CountingStage({ epochs: 5, failAt: 3 }) },
              { name: 'finetune', stage: later },
            ],
            student,
          ),
        ),
      ).rejects.toThrow('boom at epoch 3');
      expect(later.epochsRun).toEqual([]);

      const state = await readJson<RunState>(join(folder, 'run.json'));
      expect(state.status).toBe('failed');
      expect(state.error).toBe('boom at epoch 3');
      expect(state.stages.map((stage) => stage.status)).toEqual(['done', 'failed', 'pending']);

      const events = await eventsOf(folder);
      expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'failed', error: 'boom at epoch 3' });
      expect(events.filter((event) => event.type === 'stage-end').map((event) => event.stage)).toEqual([0]);
      const checkpoints = events.filter((event): event is Extract<TimedRunEvent, { type: 'checkpoint' }> => event.type === 'checkpoint');
      expect(checkpoints.filter((event) => event.stage === 1).map((event) => event.label)).toEqual(['epoch-0', 'epoch-1', 'epoch-2']);

      const metrics = await readJson<{ history: unknown[] }>(join(folder, 'metrics.json'));
      expect(metrics.history).toHaveLength(1 + 3);
    });
  });

  describe('resume', () => {
    const STAGES = [
      { name: 'warmup', epochs: 3 },
      { name: 'distill', epochs: 6 },
    ] as const;

    async function failedRun(folder: string, failAt: number): Promise<FakeModel> {
      const student = new FakeModel('student');
      const { runner } = harness(folder);
      const stages = [
        { name: 'warmup', stage: new CountingStage({ epochs: STAGES[0].epochs }) },
        { name: 'distill', stage: new CountingStage({ epochs: STAGES[1].epochs, failAt }) },
      ];
      await expect(runner.run(pipelineOf(stages, student))).rejects.toThrow(`boom at epoch ${failAt}`);
      return student;
    }

    it.each([1, 3, 4])('continues a stage that failed at epoch %i from its last checkpoint and ends exactly where an uninterrupted run ends', async (failAt) => {
      const uninterrupted = new FakeModel('student');
      await harness(folderOf('straight')).runner.run(
        pipelineOf(
          STAGES.map(({ name, epochs }) => ({ name, stage: new CountingStage({ epochs }) })),
          uninterrupted,
        ),
      );
      const expected = expectedWeights(STAGES);
      expect(uninterrupted.weight).toBe(expected[1]);

      const folder = folderOf('resumed');
      await failedRun(folder, failAt);

      // A new process: new container, new stage objects, a new student that knows nothing.
      const student = new FakeModel('student');
      const warmup = new CountingStage({ epochs: STAGES[0].epochs });
      const distill = new CountingStage({ epochs: STAGES[1].epochs });
      const { runner, logs } = harness(folder);
      const result = await runner.run(
        pipelineOf(
          [
            { name: 'warmup', stage: warmup },
            { name: 'distill', stage: distill },
          ],
          student,
        ),
        { resume: true },
      );

      expect(result).toMatchObject({ status: 'completed', ranStages: ['distill'], skippedStages: ['warmup'] });
      expect(warmup.epochsRun).toEqual([]);
      expect(distill.resumedAfter).toBe(failAt - 1);
      expect(distill.epochsRun).toEqual(Array.from({ length: STAGES[1].epochs - failAt }, (_, i) => failAt + i));
      expect(student.weight).toBe(expected[1]);
      expect(student.weight).toBe(uninterrupted.weight);

      // The student was first restored from the end of the finished stage.
      expect(student.loadedStates).toHaveLength(1);
      expect(student.loadedStates[0]?.meta).toEqual({ weight: expected[0], stageComplete: true });
      expect(logs).toContain('restored the student from the end of stage warmup');
      expect(logs).toContain('resuming stage distill from its last checkpoint');

      const state = await readJson<RunState>(join(folder, 'run.json'));
      expect(state.status).toBe('completed');
      expect(state).not.toHaveProperty('error');
      expect(state.stages.map((stage) => stage.status)).toEqual(['done', 'done']);

      const events = await eventsOf(folder);
      const secondStart = events.findIndex((event) => event.type === 'run-start' && event.resumed);
      expect(secondStart).toBeGreaterThan(0);
      expect(events.slice(secondStart).map((event) => event.type).slice(0, 3)).toEqual(['run-start', 'stage-skip', 'stage-start']);
      expect(events[secondStart + 1]).toMatchObject({ type: 'stage-skip', stage: 0, name: 'warmup', reason: 'finished before resume' });
      expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'completed' });

      const metrics = await readJson<{ final: Record<string, Record<string, number>> }>(join(folder, 'metrics.json'));
      expect(metrics.final).toEqual({ warmup: { weight: expected[0] }, distill: { weight: expected[1] } });
      // the resolved config of the first attempt is kept
      expect(await readFile(join(folder, 'config.resolved.yaml'), 'utf8')).toBe(RESOLVED);
    });

    it('keeps the whole metric history after a kill that left no metrics.json, from events.jsonl', async () => {
      const straight = folderOf('history-straight');
      await harness(straight).runner.run(pipelineOf(STAGES.map(({ name, epochs }) => ({ name, stage: new CountingStage({ epochs }) })), new FakeModel('student')));
      const folder = folderOf('history-killed');
      await failedRun(folder, 4);
      // A kill -9 mid-stage: the stage never ended, so metrics.json of the first attempt may not exist.
      await rm(join(folder, 'metrics.json'));
      const stages = STAGES.map(({ name, epochs }) => ({ name, stage: new CountingStage({ epochs }) }));
      await harness(folder).runner.run(pipelineOf(stages, new FakeModel('student')), { resume: true });
      type Metrics = { history: { stage: number; name: string; value: number; epoch: number }[] };
      const resumed = await readJson<Metrics>(join(folder, 'metrics.json'));
      const whole = await readJson<Metrics>(join(straight, 'metrics.json'));
      expect(resumed.history.map((record) => [record.stage, record.epoch])).toEqual([
        [0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [1, 3], [1, 4], [1, 5],
      ]);
      expect(resumed.history).toEqual(whole.history);
    });

    it('removes temporary files and folders a killed write left behind, and nothing else', async () => {
      const folder = folderOf('leftovers');
      await failedRun(folder, 2);
      const checkpoints = join(folder, 'checkpoints', '01-distill');
      await mkdir(join(checkpoints, 'epoch-9.tmp-4242-deadbeef'), { recursive: true });
      await writeFile(join(checkpoints, 'epoch-9.tmp-4242-deadbeef', 'tensors.bin'), 'half');
      await writeFile(join(folder, 'run.json.tmp-4242-0badf00d'), '{"half":');
      const before = (await listFiles(folder)).filter((file) => !file.includes('.tmp-'));
      const { runner, logs } = harness(folder);
      await runner.run(pipelineOf(STAGES.map(({ name, epochs }) => ({ name, stage: new CountingStage({ epochs }) })), new FakeModel('student')), { resume: true });
      const after = await listFiles(folder);
      expect(after.filter((file) => file.includes('.tmp-'))).toEqual([]);
      for (const file of before) expect(after).toContain(file);
      expect(logs.filter((line) => line.includes('left by an unfinished write'))).toHaveLength(2);
    });

    it('refuses to run in a folder another live process holds, and takes over the lock of a process that is gone', async () => {
      const folder = folderOf('locked');
      await failedRun(folder, 2);
      const stages = () => STAGES.map(({ name, epochs }) => ({ name, stage: new CountingStage({ epochs }) }));
      // The parent of this test process is alive: its lock is live.
      await writeFile(join(folder, RUN_LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'yolo-distill run p.yaml' }));
      await expect(harness(folder).runner.run(pipelineOf(stages(), new FakeModel('student')), { resume: true })).rejects.toThrow(
        `${folder} is in use by process ${process.ppid} on ${hostname()} (since 2026-01-01T00:00:00.000Z: yolo-distill run p.yaml); wait for it to end, or stop it first`,
      );
      // As after kill -9: run.json still says running, and the lock names a process that is gone.
      const state = await readJson<RunState>(join(folder, 'run.json'));
      await writeFile(join(folder, 'run.json'), JSON.stringify({ ...state, status: 'running' }));
      expect((await readRunState(new RunFolder(folder)))?.status).toBe('running');
      const dead = deadPid();
      await writeFile(join(folder, RUN_LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'x' }));
      expect((await readRunState(new RunFolder(folder)))?.status).toBe('interrupted');
      const { runner, logs } = harness(folder);
      expect((await runner.run(pipelineOf(stages(), new FakeModel('student')), { resume: true })).status).toBe('completed');
      expect(logs).toContain(`the run was interrupted: process ${dead} (started 2026-01-01T00:00:00.000Z) is gone; continuing from its last checkpoint`);
      expect(existsSync(join(folder, RUN_LOCK_FILE))).toBe(false);
    });

    it('restarts a failed stage that saved no checkpoint from its beginning, with the same stream', async () => {
      const folder = folderOf('fail-at-0');
      await failedRun(folder, 0);
      const student = new FakeModel('student');
      const distill = new CountingStage({ epochs: STAGES[1].epochs });
      await harness(folder).runner.run(
        pipelineOf(
          [
            { name: 'warmup', stage: new CountingStage({ epochs: STAGES[0].epochs }) },
            { name: 'distill', stage: distill },
          ],
          student,
        ),
        { resume: true },
      );
      expect(distill.resumedAfter).toBeUndefined();
      expect(distill.epochsRun).toEqual([0, 1, 2, 3, 4, 5]);
      expect(student.weight).toBe(expectedWeights(STAGES)[1]);
    });

    it('skips everything of a completed run and restores the student from its last stage', async () => {
      const folder = folderOf('done-already');
      const first = new FakeModel('student');
      await harness(folder).runner.run(pipelineOf([{ name: 'warmup', stage: new CountingStage({ epochs: 2 }) }], first));
      const student = new FakeModel('student');
      const stage = new CountingStage({ epochs: 2 });
      const { runner, logs } = harness(folder);
      const result = await runner.run(pipelineOf([{ name: 'warmup', stage }], student), { resume: true });
      expect(result).toMatchObject({ status: 'completed', ranStages: [], skippedStages: ['warmup'] });
      expect(stage.epochsRun).toEqual([]);
      expect(student.weight).toBe(first.weight);
      expect(logs.some((line) => line.includes('already completed; nothing to resume'))).toBe(true);
    });

    it('refuses a pipeline whose stages changed, and leaves the run as it was', async () => {
      const folder = folderOf('changed');
      await failedRun(folder, 2);
      const before = await readFile(join(folder, 'run.json'), 'utf8');
      const renamed = pipelineOf(
        [
          { name: 'warmup', stage: new CountingStage({ epochs: 3 }) },
          { name: 'distill-v2', stage: new CountingStage({ epochs: 6 }) },
        ],
        new FakeModel('s'),
      );
      await expect(harness(folder).runner.run(renamed, { resume: true })).rejects.toThrow(
        `cannot resume ${folder}: its stages were [warmup:test.Counting, distill:test.Counting], the pipeline now has [warmup:test.Counting, distill-v2:test.Counting]`,
      );
      const fewer = pipelineOf([{ name: 'warmup', stage: new CountingStage({ epochs: 3 }) }], new FakeModel('s'));
      await expect(harness(folder).runner.run(fewer, { resume: true })).rejects.toThrow('the pipeline now has [warmup:test.Counting]');
      expect(await readFile(join(folder, 'run.json'), 'utf8')).toBe(before);
    });

    it('says there is nothing to resume in a folder without run.json', async () => {
      const folder = folderOf('empty');
      await expect(harness(folder).runner.run(pipelineOf([{ name: 'a', stage: new CountingStage({ epochs: 1 }) }], new FakeModel('s')), { resume: true })).rejects.toThrow(
        `nothing to resume in ${folder}: run.json not found`,
      );
      expect(existsSync(folder)).toBe(false);
    });

    it('treats a stage whose stage-end checkpoint was saved as finished, even if run.json still says running', async () => {
      const folder = folderOf('died-after-end');
      await failedRun(folder, 2);
      // As if the process died right after the warmup's stage-end checkpoint, before run.json was updated.
      const state = await readJson<RunState>(join(folder, 'run.json'));
      state.stages[0]!.status = 'running';
      state.stages[1]!.status = 'pending';
      await writeFile(join(folder, 'run.json'), JSON.stringify(state));
      await rm(join(folder, 'checkpoints', 'latest-stage-1.json'));
      const student = new FakeModel('student');
      const warmup = new CountingStage({ epochs: STAGES[0].epochs });
      const distill = new CountingStage({ epochs: STAGES[1].epochs });
      await harness(folder).runner.run(
        pipelineOf(
          [
            { name: 'warmup', stage: warmup },
            { name: 'distill', stage: distill },
          ],
          student,
        ),
        { resume: true },
      );
      expect(warmup.epochsRun).toEqual([]);
      expect(distill.epochsRun).toEqual([0, 1, 2, 3, 4, 5]);
      expect(student.weight).toBe(expectedWeights(STAGES)[1]);
    });

    it('refuses to resume when a finished stage lost its stage-end checkpoint', async () => {
      const folder = folderOf('lost');
      await failedRun(folder, 2);
      await rm(join(folder, 'checkpoints', 'latest-stage-0.json'));
      const stages = [
        { name: 'warmup', stage: new CountingStage({ epochs: 3 }) },
        { name: 'distill', stage: new CountingStage({ epochs: 6 }) },
      ];
      await expect(harness(folder).runner.run(pipelineOf(stages, new FakeModel('s')), { resume: true })).rejects.toThrow(
        `cannot resume: stage 'warmup' is marked done but its stage-end checkpoint is missing in ${folder}`,
      );
      expect((await readJson<RunState>(join(folder, 'run.json'))).status).toBe('failed');
    });
  });

  describe('abort', () => {
    it('stops at the next check of the signal and records the run as aborted', async () => {
      const folder = folderOf('aborted');
      const controller = new AbortController();
      const stage = new CountingStage({
        epochs: 5,
        afterEpoch: (epoch) => {
          if (epoch === 1) controller.abort();
        },
      });
      const later = new CountingStage({ epochs: 1 });
      const failure = harness(folder).runner.run(
        pipelineOf(
          [
            { name: 'distill', stage },
            { name: 'finetune', stage: later },
          ],
          new FakeModel('s'),
        ),
        { signal: controller.signal },
      );
      await expect(failure).rejects.toMatchObject({ name: 'AbortError' });
      expect(stage.epochsRun).toEqual([0, 1]);
      expect(later.epochsRun).toEqual([]);
      const state = await readJson<RunState>(join(folder, 'run.json'));
      expect(state.status).toBe('aborted');
      expect(state.stages[0]?.status).not.toBe('failed');
      expect(state.stages[1]?.status).toBe('pending');
      expect((await eventsOf(folder)).at(-1)).toMatchObject({ type: 'run-end', status: 'aborted' });
    });

    it('runs no stage when the signal is already aborted', async () => {
      const folder = folderOf('aborted-early');
      const stage = new CountingStage({ epochs: 1 });
      await expect(harness(folder).runner.run(pipelineOf([{ name: 'a', stage }], new FakeModel('s')), { signal: AbortSignal.abort() })).rejects.toMatchObject({
        name: 'AbortError',
      });
      expect(stage.epochsRun).toEqual([]);
      expect((await readJson<RunState>(join(folder, 'run.json'))).status).toBe('aborted');
      expect((await eventsOf(folder)).map((event) => event.type)).toEqual(['run-start', 'run-end']);
    });

    it('can be resumed after an abort and still ends where an uninterrupted run ends', async () => {
      const folder = folderOf('abort-resume');
      const controller = new AbortController();
      const STAGES = [{ name: 'distill', epochs: 4 }] as const;
      const aborting = new CountingStage({ epochs: 4, afterEpoch: (epoch) => (epoch === 0 ? controller.abort() : undefined) });
      await expect(harness(folder).runner.run(pipelineOf([{ name: 'distill', stage: aborting }], new FakeModel('s')), { signal: controller.signal })).rejects.toThrow();
      const student = new FakeModel('s');
      const resumed = new CountingStage({ epochs: 4 });
      await harness(folder).runner.run(pipelineOf([{ name: 'distill', stage: resumed }], student), { resume: true });
      expect(resumed.epochsRun).toEqual([1, 2, 3]);
      expect(student.weight).toBe(expectedWeights(STAGES)[0]);
    });
  });
});
