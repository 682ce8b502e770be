import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const CLI = resolve('packages/cli/dist/main.js');

interface RunJson {
  readonly status: string;
}

function runCli(args: readonly string[], log: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      writeFileSync(log, Buffer.concat(chunks), { flag: 'a' });
      if (code === 0) done();
      else fail(new Error(`yolo-distill ${args.join(' ')} failed (exit ${code}); see ${log}`));
    });
  });
}

/** Whether process `pid` is alive on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims run `name` for this process through `<work>/locks/<name>.lock` (created exclusively, holding
 * the pid), so that two bench invocations sharing a work folder never run the same run at once; a lock
 * whose process is gone is taken over. Returns the release, or undefined when a live process holds it.
 */
export function claimRun(work: string, name: string): (() => void) | undefined {
  mkdirSync(join(work, 'locks'), { recursive: true });
  const lock = join(work, 'locks', `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return undefined;
      rmSync(lock, { force: true });
    }
  }
  return undefined;
}

/**
 * Runs the pipeline `body` as `<work>/runs/<name>`: a finished run is left as it is, an interrupted
 * one continues from its last checkpoint (`run --resume <folder>`), otherwise it starts. Returns the
 * run folder.
 */
export async function runOrResume(work: string, name: string, body: string): Promise<string> {
  for (const dir of ['configs', 'logs', 'runs']) mkdirSync(join(work, dir), { recursive: true });
  const folder = join(work, 'runs', name);
  const runJson = join(folder, 'run.json');
  const state = existsSync(runJson) ? (JSON.parse(readFileSync(runJson, 'utf8')) as RunJson) : undefined;
  if (state?.status === 'completed') return folder;
  const yamlFile = join(work, 'configs', `${name}.yaml`);
  writeFileSync(yamlFile, `name: ${name}\nruns: ${join(work, 'runs')}\n${body}`);
  const log = join(work, 'logs', `${name}.log`);
  process.stderr.write(`${state ? 'resuming' : 'starting'} ${name}\n`);
  await runCli(state ? ['run', yamlFile, '--resume', folder] : ['run', yamlFile], log);
  return folder;
}

/**
 * `runOrResume` under the run's claim (`claimRun`): the run folder, or undefined (said on stderr) when
 * another bench invocation sharing the work folder is running it.
 */
export async function runClaimed(work: string, name: string, body: string): Promise<string | undefined> {
  const release = claimRun(work, name);
  if (!release) {
    process.stderr.write(`${name}: another invocation is running it; left to that one\n`);
    return undefined;
  }
  try {
    return await runOrResume(work, name, body);
  } finally {
    release();
  }
}

/** Writes `text` to `file` through a temporary name and a rename, so a killed bench leaves no torn file. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export interface StageHistory {
  readonly history: readonly { readonly seconds: number; readonly metrics?: Record<string, number> }[];
}

/**
 * The last validation of the run's last training stage (`localisationError` where the evaluator
 * reported it), and the summed epoch seconds of every stage (gaps between resumed processes excluded).
 * `firstTraining`: the index of the first training stage (stages before it, e.g. pruning, keep no history).
 */
export function runOutcome(folder: string, stages: number, firstTraining = 0): { map50: number; map: number; localisationError?: number; seconds: number } {
  let seconds = 0;
  let last: Record<string, number> | undefined;
  for (let i = firstTraining; i < stages; i++) {
    const summary = JSON.parse(readFileSync(join(folder, `training-${i}.json`), 'utf8')) as StageHistory;
    seconds += summary.history.reduce((sum, epoch) => sum + epoch.seconds, 0);
    if (i === stages - 1) last = summary.history[summary.history.length - 1]?.metrics;
  }
  if (!last) throw new Error(`${folder}: the last stage recorded no validation`);
  const loc = last['localisationError'];
  return { map50: last['map50'] ?? 0, map: last['map'] ?? 0, ...(loc === undefined ? {} : { localisationError: loc }), seconds };
}
