import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { ONNX_SESSIONS, type OnnxSessionFactory } from '../contracts/onnx-session.js';
import { FileCheckpointStore } from '../services/checkpoint-store.js';
import { EventBus } from '../services/event-bus.js';
import type { Logger } from '../services/logger.js';
import { SeededRng } from '../services/rng.js';
import { RunFolder } from '../services/run-folder.js';
import { BACKEND, CHECKPOINT_STORE, EVENT_BUS, LOGGER, RNG, RUN_FOLDER, RUN_INFO, type BackendHandle, type RunInfo } from '../services/tokens.js';

export interface RunServicesOptions {
  readonly info: RunInfo;
  readonly folder: string;
  readonly logger: Logger;
  readonly backend: BackendHandle;
  readonly events?: EventBus;
  readonly onnxSessions?: OnnxSessionFactory;
}

/** A child container holding one run's services; plugins of that run are built inside it. */
export function createRunContainer(parent: DependencyContainer, options: RunServicesOptions): DependencyContainer {
  const container = parent.createChildContainer();
  const folder = new RunFolder(options.folder);
  container.registerInstance(RUN_INFO, options.info);
  container.registerInstance(RUN_FOLDER, folder);
  container.registerInstance(LOGGER, options.logger);
  container.registerInstance(EVENT_BUS, options.events ?? new EventBus());
  container.registerInstance(RNG, new SeededRng(options.info.seed));
  container.registerInstance(BACKEND, options.backend);
  container.registerInstance(CHECKPOINT_STORE, new FileCheckpointStore(join(options.folder, 'checkpoints')));
  if (options.onnxSessions) container.registerInstance(ONNX_SESSIONS, options.onnxSessions);
  return container;
}
