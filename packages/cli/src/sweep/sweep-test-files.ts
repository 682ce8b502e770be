import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Tiny sweeps of the CLI test plugin's test.Counting stage (instant or slowed, resumable) for the sweep specs.

/** Writes walk.yaml and `<file>.sweep.yaml` in `dir`: 2 variants (`plain`, `big` = lr x5) x seeds 1, 2, the report's metric `value`. */
export function writeWalkSweep(dir: string, file: string, stage: string, runs: string): string {
  writeFileSync(join(dir, 'walk.yaml'), `name: walk\nseed: 0\nstages:\n  - { name: walk, type: test.Counting, lr: 0.1, ${stage} }\n`);
  const sweep = join(dir, `${file}.sweep.yaml`);
  writeFileSync(sweep, `name: w\npipeline: walk.yaml\nruns: ${runs}\nseeds: [1, 2]\nbaseline: plain\nmetrics: [value]\nvariants:\n  plain: []\n  big: ["stages[0].lr=0.5"]\n`);
  return sweep;
}

export const WALK_RUNS = ['w-plain-seed1', 'w-plain-seed2', 'w-big-seed1', 'w-big-seed2'];

export interface RunMetrics {
  readonly final: Record<string, Record<string, number>>;
  readonly history: readonly { readonly name: string; readonly value: number }[];
}

export const metricsOf = (folder: string): RunMetrics => JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as RunMetrics;

export const eventsOf = (folder: string): { type: string; status?: string; resumed?: boolean }[] =>
  readFileSync(join(folder, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; status?: string; resumed?: boolean });

/** The run folders of a runs folder (the reports beside them are files). */
export const runFolders = (runs: string): string[] => (existsSync(runs) ? readdirSync(runs, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort() : []);

export async function until(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The epoch of the newest `last` checkpoint of the walk stage (-1 before there is one). */
export function checkpointEpoch(folder: string): number {
  try {
    return (JSON.parse(readFileSync(join(folder, 'checkpoints', '00-walk', 'last', 'meta.json'), 'utf8')) as { meta: { epoch: number } }).meta.epoch;
  } catch {
    return -1;
  }
}
