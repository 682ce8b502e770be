import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { ImageBatch, StepInfo, StoredTensor } from '@yolo-distill/core';
import type { ReplicaLauncher } from './replica-launcher.js';
import type { FromReplica, ReplicaInit, ToReplica } from './replica-protocol.js';
import type { ReplicaWeights } from './replica-weights.js';
import { ReplicaViews, type ReplicaBuffers } from './shared-buffers.js';
import type { StepValues } from './step-values.js';

/** A replica's answer to one step: its numbers, and which variables got a gradient (in its slot). */
export interface ReplicaStep {
  readonly rank: number;
  readonly values: StepValues;
  readonly present: readonly boolean[];
}

interface Pending {
  resolve(step: ReplicaStep): void;
  reject(error: Error): void;
}

/** How long `close` waits for a replica to free its memory and say so before terminating it. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The main thread's side of the replicas of one stage (ranks 1..W-1): starts them, broadcasts the
 * weights, hands out shards and collects the answers. A replica that fails or exits fails every
 * pending and later step with its message. Threads are held (ref'd) only while an answer is awaited,
 * so a forgotten group never keeps the process alive; `close` ends them.
 */
export class ReplicaGroup {
  private readonly pending = new Map<string, Pending>();
  private readonly failures = new Map<number, Error>();
  private nextId = 0;
  private closing = false;

  private constructor(
    private readonly threads: readonly Worker[],
    private readonly views: ReplicaViews,
    private readonly weights: ReplicaWeights,
    private readonly stageName: string,
  ) {
    threads.forEach((thread, i) => {
      const rank = i + 1;
      thread.on('message', (message: FromReplica) => this.settle(rank, message));
      thread.on('error', (error: Error) => this.fail(rank, new Error(`${stageName}: replica ${rank} failed: ${error.message}`)));
      thread.on('exit', (code: number) => this.fail(rank, new Error(`${stageName}: replica ${rank} exited (code ${code})`)));
      thread.unref();
    });
  }

  /** Starts `workers - 1` replicas and waits until each has built and checked its student. */
  static async start(launcher: ReplicaLauncher, base: Omit<ReplicaInit, 'rank' | 'buffers'>, buffers: ReplicaBuffers, weights: ReplicaWeights): Promise<ReplicaGroup> {
    const threads: Worker[] = [];
    try {
      for (let rank = 1; rank < base.workers; rank++) threads.push(launcher.launch({ ...base, rank, buffers }));
      const answers = await Promise.allSettled(threads.map((thread, i) => firstAnswer(thread, i + 1, base.stageName)));
      const problems = answers.flatMap((a) => (a.status === 'rejected' ? [(a.reason as Error).message] : []));
      if (problems.length > 0) throw new Error(problems.join('; '));
    } catch (error) {
      await Promise.all(threads.map((thread) => thread.terminate()));
      throw error;
    }
    return new ReplicaGroup(threads, new ReplicaViews(buffers), weights, base.stageName);
  }

  get size(): number {
    return this.threads.length;
  }

  /** Writes the main thread's weights into the shared buffer and tells every replica to take them. */
  broadcast(stepped: boolean): void {
    this.weights.write(this.views.weights);
    this.views.publish(0);
    this.post({ type: 'sync', stepped });
  }

  /** The task's state, for replicas whose task has some (calibrated factors, connectors). */
  sendState(tensors: Readonly<Record<string, StoredTensor>>): void {
    this.post({ type: 'state', tensors });
  }

  /** Rank r (1..) computes `shards[r - 1]`; resolves with every answer, in rank order. */
  run(shards: readonly { readonly batch: ImageBatch; readonly share: number }[], info: StepInfo): Promise<ReplicaStep[]> {
    if (shards.length !== this.threads.length) throw new Error(`ReplicaGroup.run: ${shards.length} shards for ${this.threads.length} replicas`);
    const id = this.nextId++;
    return Promise.all(
      shards.map((shard, i) => {
        const rank = i + 1;
        const failure = this.failures.get(rank);
        if (failure) return Promise.reject(failure);
        const thread = this.threads[i] as Worker;
        return new Promise<ReplicaStep>((resolve, reject) => {
          this.pending.set(`${rank}:${id}`, { resolve, reject });
          thread.ref();
          const message: ToReplica = { type: 'step', id, batch: shard.batch, share: shard.share, info };
          thread.postMessage(message, [shard.batch.images.buffer as ArrayBuffer]);
        });
      }),
    );
  }

  /** Rank r's gradients, valid after its answer to the last `run` (read, do not keep). */
  gradients(rank: number): Float32Array {
    this.views.observe(rank);
    return this.views.gradientSlot(rank);
  }

  /** Asks every replica to free its memory and exit; terminates the ones that do not within 10 s. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all(
      this.threads.map(async (thread, i) => {
        if (this.failures.has(i + 1)) {
          await thread.terminate();
          return;
        }
        thread.ref();
        const exited = once(thread, 'exit');
        thread.postMessage({ type: 'close' } satisfies ToReplica);
        const timer = setTimeout(() => void thread.terminate(), CLOSE_TIMEOUT_MS);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  private post(message: ToReplica): void {
    this.threads.forEach((thread, i) => {
      if (!this.failures.has(i + 1)) thread.postMessage(message);
    });
  }

  private settle(rank: number, message: FromReplica): void {
    if (message.type === 'done' || message.type === 'error') {
      const key = `${rank}:${message.id}`;
      const pending = this.pending.get(key);
      if (message.type === 'error' && !pending) {
        this.fail(rank, new Error(`${this.stageName}: replica ${rank}: ${message.message}`));
        return;
      }
      if (!pending) return;
      this.pending.delete(key);
      this.release(rank);
      if (message.type === 'done') pending.resolve({ rank, values: message.values, present: message.present });
      else pending.reject(new Error(`${this.stageName}: replica ${rank}: ${message.message}`));
    }
  }

  private fail(rank: number, error: Error): void {
    if (this.closing && error.message.includes('exited')) return;
    if (!this.failures.has(rank)) this.failures.set(rank, error);
    for (const [key, pending] of [...this.pending]) {
      if (!key.startsWith(`${rank}:`)) continue;
      this.pending.delete(key);
      pending.reject(error);
    }
    this.release(rank);
  }

  /** Unrefs a replica's thread when nothing is awaited from it any more. */
  private release(rank: number): void {
    if (![...this.pending.keys()].some((key) => key.startsWith(`${rank}:`))) this.threads[rank - 1]?.unref();
  }
}

/** The replica's first message: 'ready', or why it could not start. */
async function firstAnswer(thread: Worker, rank: number, stageName: string): Promise<void> {
  const failed = (text: string) => new Error(`${stageName}: replica ${rank} could not start: ${text}`);
  const answer = await new Promise<FromReplica>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', (error: Error) => reject(failed(error.message)));
    thread.once('exit', (code: number) => reject(failed(`its thread exited (code ${code})`)));
  });
  if (answer.type === 'failed') throw failed(answer.message);
  if (answer.type !== 'ready') throw failed(`unexpected first message '${answer.type}'`);
}
