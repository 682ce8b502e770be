import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePipeline, writeFileAtomic, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { epochLines, executeSweepRun, type SweepRunJob } from '../sweep/execute-sweep-run.js';
import { runLocalPool } from '../sweep/local-pool.js';
import { loadSweep, type Sweep } from '../sweep/sweep-file.js';
import { DEFAULT_QUEUE_NAME, submitRuns } from '../sweep/sweep-queue.js';
import { sweepReport, sweepReportHtml, sweepReportMarkdown } from '../sweep/sweep-report.js';
import { sweepRunStep } from '../sweep/sweep-run-state.js';

export interface SweepOptions {
  /** Local processes at once (the default: 1). */
  readonly local?: number;
  /** `redis://host:port`: put the runs on this queue for `yolo-distill worker`s instead. */
  readonly queue?: string;
  readonly queueName?: string;
  /** Print the runs and their state, run nothing. */
  readonly list?: boolean;
  readonly signal?: AbortSignal;
}

const jobOf = (sweep: Sweep, run: Sweep['runs'][number]): SweepRunJob => ({ sweep: sweep.name, run: run.name, pipeline: sweep.pipeline, overrides: run.overrides, runs: sweep.runsDir });

/** Every run's pipeline with its overrides, so a bad `--set` of a variant is found before anything runs. */
function checkRuns(sweep: Sweep, registry: PluginRegistry, io: CliIO): void {
  const text = readFileSync(sweep.pipeline, 'utf8');
  for (const run of sweep.runs) parsePipeline(text, sweep.pipeline, registry, { env: io.env, overrides: run.overrides });
}

/** `yolo-distill sweep <sweep.yaml>`: expands the sweep and runs it in local processes, or puts it on a queue. */
export async function sweepCommand(file: string, options: SweepOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const sweep = loadSweep(file, io.env);
  checkRuns(sweep, registry, io);
  const steps = sweep.runs.map((run) => ({ run, step: sweepRunStep(sweep.runsDir, run.name) }));
  if (options.list) {
    for (const { run, step } of steps) io.stdout(`${run.name}\t${step.kind === 'skip' ? 'completed' : step.kind === 'resume' ? 'begun' : 'not started'}\t${run.overrides.join(' ')}\n`);
    return EXIT.ok;
  }
  const todo = steps.filter(({ step }) => step.kind !== 'skip').map(({ run }) => run);
  io.stderr(`sweep ${sweep.name}: ${sweep.runs.length} runs (${sweep.variants.length} variants x ${sweep.seeds.length} seeds), ${sweep.runs.length - todo.length} completed already; runs folder ${sweep.runsDir}\n`);
  if (options.queue !== undefined) {
    await submitRuns(options.queue, options.queueName ?? DEFAULT_QUEUE_NAME, todo.map((run) => jobOf(sweep, run)));
    io.stdout(`queued ${todo.length} run(s) on ${options.queue}; start workers with: yolo-distill worker --queue ${options.queue}\n`);
    return EXIT.ok;
  }
  const results = await runLocalPool(todo.map((run) => run.name), options.local ?? 1, (run) => ['sweep', 'run-one', file, run], io, options.signal);
  if (options.signal?.aborted) {
    io.stderr('interrupted; run the sweep again to resume its runs\n');
    return EXIT.interrupted;
  }
  const failed = results.filter((result) => result.code !== 0);
  io.stdout(`${sweep.name}: ${sweep.runs.length - failed.length}/${sweep.runs.length} runs completed${failed.length > 0 ? `; failed: ${failed.map((result) => result.run).join(', ')} (run the sweep again to resume them)` : ''}\n`);
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

/** `yolo-distill sweep run-one <sweep.yaml> <run>`: one run of the sweep in this process (what `--local` starts). */
export async function sweepRunOneCommand(file: string, name: string, registry: PluginRegistry, io: CliIO, signal?: AbortSignal): Promise<number> {
  const sweep = loadSweep(file, io.env);
  const run = sweep.runs.find((candidate) => candidate.name === name);
  if (!run) {
    io.stderr(`error: ${file} has no run named '${name}' (its runs: ${sweep.runs.map((candidate) => candidate.name).join(', ')})\n`);
    return EXIT.badInput;
  }
  const outcome = await executeSweepRun(jobOf(sweep, run), registry, io, { ...(signal ? { signal } : {}), onEvent: epochLines(run.name, io.stderr) });
  io.stdout(`${outcome.status}: ${outcome.folder}\n`);
  return EXIT.ok;
}

/** `yolo-distill sweep report <sweep.yaml>`: the table of every variant, as markdown (stdout) and <runs>/<sweep>.report.{json,md,html}. */
export async function sweepReportCommand(file: string, options: { json?: boolean }, io: CliIO): Promise<number> {
  const sweep = loadSweep(file, io.env);
  const report = sweepReport(sweep);
  const markdown = sweepReportMarkdown(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(sweep.runsDir, { recursive: true });
  await writeFileAtomic(join(sweep.runsDir, `${sweep.name}.report.json`), json);
  await writeFileAtomic(join(sweep.runsDir, `${sweep.name}.report.md`), markdown);
  await writeFileAtomic(join(sweep.runsDir, `${sweep.name}.report.html`), sweepReportHtml(report));
  io.stdout(options.json ? json : markdown);
  return EXIT.ok;
}
