import type { InjectionToken } from 'tsyringe';
import type { CheckpointStore } from './checkpoint-store.js';
import type { EventBus } from './event-bus.js';
import type { Logger } from './logger.js';
import type { Rng } from './rng.js';
import type { RunFolder } from './run-folder.js';

/** The compute backend a run uses, as chosen at start (tfjs-node-gpu > tfjs-node > wasm > cpu). */
export interface BackendHandle {
  readonly name: string;
  readonly threads: number;
  describe(): Readonly<Record<string, unknown>>;
}

/** Identity of the run: its name, seed and the pipeline file it came from. */
export interface RunInfo {
  readonly name: string;
  readonly seed: number;
  readonly pipelineFile: string;
}

export const LOGGER: InjectionToken<Logger> = Symbol.for('yolo-distill.Logger');
export const EVENT_BUS: InjectionToken<EventBus> = Symbol.for('yolo-distill.EventBus');
export const RNG: InjectionToken<Rng> = Symbol.for('yolo-distill.Rng');
export const BACKEND: InjectionToken<BackendHandle> = Symbol.for('yolo-distill.Backend');
export const CHECKPOINT_STORE: InjectionToken<CheckpointStore> = Symbol.for('yolo-distill.CheckpointStore');
export const RUN_FOLDER: InjectionToken<RunFolder> = Symbol.for('yolo-distill.RunFolder');
export const RUN_INFO: InjectionToken<RunInfo> = Symbol.for('yolo-distill.RunInfo');
