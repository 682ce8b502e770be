import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { SweepRunJob, SweepRunOutcome } from './execute-sweep-run.js';

export const DEFAULT_QUEUE_NAME = 'yolo-distill-runs';

/** A `redis://host:port[/db]` address as BullMQ connection options (workers block on it: no retry limit per request). */
export function redisConnection(address: string): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`--queue expects redis://host:port, got '${address}'`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`--queue expects redis://host:port, got '${address}'`);
  return { url: address, maxRetriesPerRequest: null };
}

/** How often a job is tried before it is left failed (a worker that dies does not count: its job stalls and goes back). */
const ATTEMPTS = 3;

/** Puts every run on the queue, one job per run named by the run (a run already waiting there is not added twice). */
export async function submitRuns(address: string, queueName: string, jobs: readonly SweepRunJob[]): Promise<void> {
  const queue = new Queue<SweepRunJob, SweepRunOutcome>(queueName, { connection: redisConnection(address) });
  try {
    await queue.addBulk(
      jobs.map((job) => ({
        name: job.sweep,
        data: job,
        opts: { jobId: job.run, attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 5000 }, removeOnComplete: true, removeOnFail: false },
      })),
    );
  } finally {
    await queue.close();
  }
}

export interface QueueWorkerOptions {
  /** How long a job stays ours without a lock renewal (the heartbeat); a worker silent that long is taken as dead. */
  readonly lockMs: number;
  readonly onActive?: (job: Job<SweepRunJob, SweepRunOutcome>) => void;
}

/** A BullMQ worker taking one run at a time; `stalledInterval` = the lock time, so a dead worker's run is retried within about two of them. */
export function startQueueWorker(
  address: string,
  queueName: string,
  handle: (job: Job<SweepRunJob, SweepRunOutcome>) => Promise<SweepRunOutcome>,
  options: QueueWorkerOptions,
): Worker<SweepRunJob, SweepRunOutcome> {
  return new Worker<SweepRunJob, SweepRunOutcome>(queueName, handle, {
    connection: redisConnection(address),
    concurrency: 1,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // Each stall is a worker that died mid-run; the run resumes from its checkpoint, so allow a few.
    maxStalledCount: 5,
  });
}

/** Jobs not yet done: waiting, delayed, or held by a worker (alive, or dead and not yet found stalled). */
export async function unfinishedJobs(address: string, queueName: string): Promise<number> {
  const queue = new Queue(queueName, { connection: redisConnection(address) });
  try {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
