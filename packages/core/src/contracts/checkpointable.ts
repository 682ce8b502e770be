import type { CheckpointPayload } from '../services/checkpoint-store.js';

/** Something whose state the runner saves at stage ends and restores on resume (a student, an optimiser). */
export interface Checkpointable {
  saveState(): Promise<CheckpointPayload>;
  loadState(payload: CheckpointPayload): Promise<void>;
}

export function isCheckpointable(value: unknown): value is Checkpointable {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Checkpointable).saveState === 'function' &&
    typeof (value as Checkpointable).loadState === 'function'
  );
}
