import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import type { PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { epochLines, executeSweepRun, type SweepRunJob, type SweepRunOutcome } from '../sweep/execute-sweep-run.js';
import { DEFAULT_QUEUE_NAME, startQueueWorker, unfinishedJobs } from '../sweep/sweep-queue.js';

export interface WorkerOptions {
  readonly queue: string;
  readonly queueName?: string;
  /** The shared runs folder as this machine sees it (default: the path the sweep gave). */
  readonly runs?: string;
  /** Exit once the queue has nothing waiting, delayed or running. */
  readonly drain?: boolean;
  readonly lockMs?: number;
  readonly signal?: AbortSignal;
}

/** `yolo-distill worker --queue redis://...`: takes runs off the queue and runs each as a normal resumable run, one at a time. */
export async function workerCommand(options: WorkerOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const me = `${hostname()}:${process.pid}`;
  const handle = async (job: Job<SweepRunJob, SweepRunOutcome>): Promise<SweepRunOutcome> => {
    const data = options.runs !== undefined ? { ...job.data, runs: options.runs } : job.data;
    io.stderr(`${job.data.run}: taken by ${me} (attempt ${job.attemptsMade + 1}${job.stalledCounter > 0 ? `, after ${job.stalledCounter} stalled worker(s)` : ''})\n`);
    const printEpoch = epochLines(job.data.run, io.stderr);
    const outcome = await executeSweepRun(data, registry, io, {
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (event) => {
        if (event.type !== 'epoch-end') return;
        void job.updateProgress({ worker: me, stage: event['stage'], epoch: event['epoch'], epochs: event['epochs'] }).catch(() => undefined);
        printEpoch(event);
      },
    });
    io.stderr(`${job.data.run}: ${outcome.status === 'skipped' ? 'already completed, skipped' : 'completed'} (${outcome.folder})\n`);
    return outcome;
  };
  const worker = startQueueWorker(options.queue, queueName, handle, { lockMs: options.lockMs ?? 60_000 });
  worker.on('failed', (job, error) => io.stderr(`${job?.data.run ?? 'a job'}: ${error.message}\n`));
  worker.on('error', (error) => io.stderr(`worker: ${error.message}\n`));
  io.stderr(`worker ${me} on ${options.queue} (queue ${queueName})${options.runs !== undefined ? `, runs in ${options.runs}` : ''}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (!options.drain) return;
    const poll = setInterval(() => {
      if (worker.isRunning() && !worker.isPaused()) {
        void unfinishedJobs(options.queue, queueName).then((left) => {
          if (left === 0) {
            clearInterval(poll);
            stop();
          }
        }, () => undefined);
      }
    }, 500);
    options.signal?.addEventListener('abort', () => clearInterval(poll), { once: true });
  });
  await worker.close();
  io.stderr(`worker ${me}: stopped\n`);
  return options.signal?.aborted ? EXIT.interrupted : EXIT.ok;
}
