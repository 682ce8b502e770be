import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { OrtSessionFactory, selectBackend, type SelectedBackend } from '@yolo-distill/backend';
import {
  buildPipeline,
  createRunContainer,
  EventBus,
  loadPipeline,
  StreamLogger,
  type BuiltPipeline,
  type PipelineSpec,
  type PluginRegistry,
} from '@yolo-distill/core';
import { REPLICA_LAUNCHER } from '@yolo-distill/trainer';
import type { CliIO } from '../cli-io.js';
import { ThreadReplicaLauncher } from '../replicas/thread-replica-launcher.js';

export interface PipelineSessionOptions {
  readonly overrides: readonly string[];
}

/** A loaded, validated pipeline with its backend chosen and its plugins built in a run container. */
export interface PipelineSession {
  readonly spec: PipelineSpec;
  readonly backend: SelectedBackend;
  readonly container: DependencyContainer;
  readonly events: EventBus;
  readonly pipeline: BuiltPipeline;
}

export async function loadPipelineSpec(file: string, registry: PluginRegistry, options: PipelineSessionOptions, io: CliIO): Promise<PipelineSpec> {
  return loadPipeline(file, registry, { overrides: options.overrides, env: io.env });
}

/** Selects the backend and builds every plugin inside a fresh child container whose run folder is `folder`. */
export async function openPipelineSession(spec: PipelineSpec, registry: PluginRegistry, folder: string, io: CliIO): Promise<PipelineSession> {
  const backend = await selectBackend(spec.backend);
  const events = new EventBus();
  const container = createRunContainer(rootContainer, {
    info: { name: spec.name, seed: spec.seed, pipelineFile: spec.file },
    folder,
    logger: new StreamLogger(io.stderr),
    backend,
    events,
    onnxSessions: new OrtSessionFactory(),
  });
  // Training stages with `workers:` start replica threads that build this same pipeline.
  container.registerInstance(REPLICA_LAUNCHER, new ThreadReplicaLauncher({ file: spec.file, text: spec.resolvedText }, backend.name, folder));
  const pipeline = await buildPipeline(spec, registry, container);
  return { spec, backend, container, events, pipeline };
}
