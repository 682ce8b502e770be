import type { ConfigLocation } from '@yolo-distill/core';
import { z } from 'zod';

/**
 * `workers:` of a training stage: how many threads split each batch (data parallel, see
 * `DataParallel`). `1` (the default) is the single-thread loop, unchanged; `auto` picks the count
 * `resolveWorkers` explains.
 */
export const workersSchema = z.union([z.literal('auto'), z.int().min(1).max(64)], { error: 'expected auto or a whole number of workers from 1 to 64' }).default(1);

export type WorkersOption = z.output<typeof workersSchema>;

/** Each worker's share of the batch that `auto` wants at least (BN's batch statistics per worker). */
export const AUTO_MIN_SHARD = 4;

/** A count above the batch size leaves workers without an image: refused where the YAML says it. */
export function checkWorkers(config: { readonly workers: WorkersOption; readonly batch: number }, at: ConfigLocation): void {
  if (typeof config.workers === 'number' && config.workers > config.batch) {
    throw at.child('workers').error(`expected at most batch (${config.batch}) workers, each needs at least one image of the batch; found ${config.workers}`);
  }
}

export interface WorkerCountInputs {
  readonly option: WorkersOption;
  readonly batch: number;
  /** `os.availableParallelism()`. */
  readonly cores: number;
  /** The tfjs backend in use (`tf.getBackend()`). */
  readonly backend: string;
  /** Whether the run can start replica threads (the composition root registered a launcher). */
  readonly launcher: boolean;
  /** Set when something else keeps the other core busy (an ONNX teacher one batch ahead): why. */
  readonly otherCoreBusy?: string | undefined;
}

export interface WorkerCount {
  readonly count: number;
  /** One line for the log: the count and why. */
  readonly reason: string;
}

/**
 * `auto`: one worker per core on the single-threaded backends (wasm, cpu), at most one per
 * `AUTO_MIN_SHARD` images of the batch, and 1 where it would not help (tfjs-node's kernels already use
 * every core; an ONNX teacher already holds the other core; no launcher). An explicit count is taken
 * as given, except where it cannot work, which throws.
 */
export function resolveWorkers(inputs: WorkerCountInputs): WorkerCount {
  const { option, batch, cores, backend, launcher, otherCoreBusy } = inputs;
  if (option === 'auto') {
    if (!launcher) return { count: 1, reason: 'workers: auto -> 1 (this run cannot start worker threads)' };
    if (backend !== 'wasm' && backend !== 'cpu') return { count: 1, reason: `workers: auto -> 1 (the ${backend} backend already uses every core)` };
    if (otherCoreBusy) return { count: 1, reason: `workers: auto -> 1 (${otherCoreBusy})` };
    const count = Math.max(1, Math.min(cores, Math.floor(batch / AUTO_MIN_SHARD)));
    return { count, reason: `workers: auto -> ${count} (${cores} core(s), batch ${batch}, at least ${AUTO_MIN_SHARD} images per worker)` };
  }
  if (option > batch) throw new Error(`workers: ${option} is more than the batch of ${batch}: each worker needs at least one image`);
  if (option === 1) return { count: 1, reason: 'workers: 1' };
  if (!launcher) throw new Error(`workers: ${option} needs worker threads, which this run cannot start (the yolo-distill command provides them); use workers: 1`);
  if (otherCoreBusy) throw new Error(`workers: ${option} cannot be used here: ${otherCoreBusy}; use workers: 1 (or auto)`);
  const note = option > cores ? `, more than the ${cores} core(s): they will share them` : '';
  return { count: option, reason: `workers: ${option}${note}` };
}
