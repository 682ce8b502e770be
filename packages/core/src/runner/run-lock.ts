import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_LOCK_FILE = 'run.lock';

/** Who owns a run folder: written to `run.lock` when a run starts, removed when it ends. */
export interface RunLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
}

export class RunLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: RunLockOwner,
  ) {
    super(`${folder} is in use by process ${owner.pid} on ${owner.host} (since ${owner.startedAt}: ${owner.command}); wait for it to end, or stop it first`);
  }
}

/** Whether a process of this machine with that id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readRunLock(folder: string): RunLockOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, RUN_LOCK_FILE), 'utf8')) as RunLockOwner;
  } catch {
    return undefined;
  }
}

/** A lock is live while its process runs; a lock of another host is taken as live (its process cannot be checked from here). */
export function lockIsLive(owner: RunLockOwner): boolean {
  return owner.host !== hostname() || processAlive(owner.pid);
}

export interface HeldRunLock {
  /** The owner of the stale lock this one replaced (its process had died), if any. */
  readonly replaced?: RunLockOwner;
  release(): void;
}

/**
 * Takes `run.lock` in `folder` for this process: exclusive create, so two runs cannot own one folder.
 * A lock left by a process that is gone (killed with -9) is replaced; a live one throws RunLockedError.
 */
export function acquireRunLock(folder: string, command: string): HeldRunLock {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, RUN_LOCK_FILE);
  const owner: RunLockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  let replaced: RunLockOwner | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(folder, error);
      const current = readRunLock(folder);
      if (current && lockIsLive(current)) throw new RunLockedError(folder, current);
      replaced = current;
      rmSync(file, { force: true });
    }
  }
  let held = true;
  return {
    ...(replaced ? { replaced } : {}),
    release() {
      if (!held) return;
      held = false;
      if (readRunLock(folder)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function lockError(folder: string, error: unknown): Error {
  const current = readRunLock(folder);
  if (current) return new RunLockedError(folder, current);
  return new Error(`cannot create ${join(folder, RUN_LOCK_FILE)}: ${(error as Error).message}`);
}
