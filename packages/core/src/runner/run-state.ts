import { readFile } from 'node:fs/promises';
import type { RunFolder } from '../services/run-folder.js';
import { lockIsLive, readRunLock } from './run-lock.js';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed';
/** `interrupted` is never written: it is how a `running` run reads once its process is gone (killed with -9, power loss). */
export type RunStatus = 'running' | 'completed' | 'failed' | 'aborted' | 'interrupted';

/** `run.json`: what the run is and how far it got; resume reads it. */
export interface RunState {
  readonly version: 1;
  readonly name: string;
  readonly pipeline: string;
  readonly seed: number;
  backend: Readonly<Record<string, unknown>>;
  status: RunStatus;
  readonly startedAt: string;
  updatedAt: string;
  error?: string;
  stages: { name: string; type: string; status: StageStatus; seconds?: number }[];
}

export const RUN_STATE_FILE = 'run.json';

export async function readRunState(folder: RunFolder): Promise<RunState | undefined> {
  const file = folder.path(RUN_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let state: RunState;
  try {
    state = JSON.parse(text) as RunState;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); the run cannot be resumed`);
  }
  if (state.status === 'running') {
    const owner = readRunLock(folder.root);
    if (!owner || !lockIsLive(owner)) state.status = 'interrupted';
  }
  return state;
}
