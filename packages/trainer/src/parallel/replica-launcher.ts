import type { Worker } from 'node:worker_threads';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { ReplicaInit } from './replica-protocol.js';

/**
 * Starts the thread of one replica of a training stage: a worker that builds the pipeline's models and
 * the stage from the same plugin registry and pipeline spec as the main thread, then calls
 * `serveReplica`. Only the composition root (the CLI, which knows every plugin) can provide one; the
 * trainer only speaks the protocol.
 */
export interface ReplicaLauncher {
  launch(init: ReplicaInit): Worker;
}

export const REPLICA_LAUNCHER: InjectionToken<ReplicaLauncher> = Symbol.for('yolo-distill.trainer.ReplicaLauncher');

/** The run's launcher, if the composition root registered one (a run without it trains with workers: 1). */
export function replicaLauncher(container: DependencyContainer): ReplicaLauncher | undefined {
  return container.isRegistered(REPLICA_LAUNCHER, true) ? container.resolve(REPLICA_LAUNCHER) : undefined;
}
