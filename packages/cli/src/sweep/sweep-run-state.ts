import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lockIsLive, readRunLock, RUN_STATE_FILE } from '@yolo-distill/core';

/** What to do with a sweep run's folder: nothing (it completed), continue it, or start it. */
export type SweepRunStep = { readonly kind: 'skip'; readonly folder: string } | { readonly kind: 'resume'; readonly folder: string } | { readonly kind: 'start'; readonly folder: string };

/** Whether the run in `folder` completed: its run.json says so (written once, at the end of the run). */
export function runCompleted(folder: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(folder, RUN_STATE_FILE), 'utf8')) as { status?: unknown }).status === 'completed';
  } catch {
    return false;
  }
}

/**
 * A sweep run lives in `<runs>/<name>`: completed there is skipped, one with its config.resolved.yaml is
 * resumed (from its last checkpoint, with its own settings), none is started. A folder killed before it held
 * its resolved config has nothing to continue from; unless a live process holds it, it is cleared and started anew.
 */
export function sweepRunStep(runsDir: string, name: string): SweepRunStep {
  const folder = join(runsDir, name);
  if (!existsSync(folder)) return { kind: 'start', folder };
  if (runCompleted(folder)) return { kind: 'skip', folder };
  if (existsSync(join(folder, 'config.resolved.yaml'))) return { kind: 'resume', folder };
  const owner = readRunLock(folder);
  if (owner && lockIsLive(owner)) throw new Error(`${folder} is being started by process ${owner.pid} on ${owner.host}; try again once it runs`);
  if (!readdirSync(folder).every((entry) => entry === 'run.lock' || entry.includes('.tmp'))) {
    throw new Error(`${folder} holds files but no config.resolved.yaml, so it is not a run to continue; move it away to start the run anew`);
  }
  rmSync(folder, { recursive: true, force: true });
  return { kind: 'start', folder };
}
