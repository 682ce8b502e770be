import type { PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { runCommand } from '../commands/run-command.js';
import { runCompleted, sweepRunStep } from './sweep-run-state.js';

/** One run of a sweep as a queue job or a local process carries it: everything a worker needs, no sweep file. */
export interface SweepRunJob {
  readonly sweep: string;
  readonly run: string;
  /** Absolute path of the base pipeline. */
  readonly pipeline: string;
  readonly overrides: readonly string[];
  /** The shared runs folder. */
  readonly runs: string;
}

export interface SweepRunOutcome {
  readonly status: 'completed' | 'skipped';
  readonly folder: string;
}

/** What a run reports while it goes: its events, one at a time. */
export type SweepRunListener = (event: { readonly type: string } & Record<string, unknown>) => void;

/**
 * Runs one sweep run as a normal resumable `yolo-distill run` in `<runs>/<run>`: skipped when it completed
 * (so a retried job never completes a run twice), resumed when it has begun, started otherwise. Throws when
 * the run does not complete (failed, stopped, or its folder is held by a live process), for the caller to retry.
 */
export async function executeSweepRun(job: SweepRunJob, registry: PluginRegistry, io: CliIO, options: { signal?: AbortSignal; onEvent?: SweepRunListener } = {}): Promise<SweepRunOutcome> {
  const step = sweepRunStep(job.runs, job.run);
  if (step.kind === 'skip') return { status: 'skipped', folder: step.folder };
  let stderr = '';
  const runIO: CliIO = {
    ...io,
    interactive: false,
    stdout: (text) => {
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          options.onEvent?.(JSON.parse(line) as { type: string });
        } catch {
          // not an event line
        }
      }
    },
    stderr: (text) => {
      stderr = (stderr + text).slice(-4000);
      io.stderr(text);
    },
  };
  const placement = step.kind === 'resume' ? { resume: step.folder } : { overrides: [...job.overrides, `name=${job.run}`, `runs=${JSON.stringify(job.runs)}`] };
  const code = await runCommand(
    job.pipeline,
    { overrides: [], ...placement, progress: 'json', report: true, ...(options.signal ? { signal: options.signal } : {}) },
    registry,
    runIO,
  );
  if (code !== EXIT.ok || !runCompleted(step.folder)) {
    throw new Error(`${job.run} did not complete (exit ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}); it resumes from its last checkpoint when retried`);
  }
  return { status: 'completed', folder: step.folder };
}

/** A run's epoch ends as progress lines `<run>: stage s epoch e/E` (what workers and local sweeps print). */
export function epochLines(run: string, print: (text: string) => void): SweepRunListener {
  return (event) => {
    if (event.type === 'epoch-end') print(`${run}: stage ${String(event['stage'])} epoch ${Number(event['epoch']) + 1}/${String(event['epochs'])}\n`);
  };
}
