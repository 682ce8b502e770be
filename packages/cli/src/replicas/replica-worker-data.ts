import type { ReplicaInit } from '@yolo-distill/trainer';

/** What a replica thread gets: the pipeline as the main thread resolved it, where the run lives, and its part. */
export interface ReplicaWorkerData {
  readonly pipeline: { readonly file: string; readonly text: string };
  /** The backend the main thread selected (`wasm`, ...): the replica selects the same. */
  readonly backend: string;
  readonly folder: string;
  readonly replica: ReplicaInit;
}
