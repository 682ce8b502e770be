// A replica thread of a data-parallel training stage (see ThreadReplicaLauncher): the composition root again, in miniature.
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { container as rootContainer } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { buildPipeline, createRunContainer, parsePipeline, PluginRegistry, RUN_FOLDER, StreamLogger, type BackendName, type BuiltPipeline } from '@yolo-distill/core';
import { serveReplica } from '@yolo-distill/trainer';
import { builtinPlugins } from '../builtin-plugins.js';
import type { ReplicaWorkerData } from './replica-worker-data.js';

const data = workerData as ReplicaWorkerData;
const { replica } = data;
let built: BuiltPipeline | undefined;

async function build() {
  const backend = await selectBackend(data.backend as BackendName);
  const registry = new PluginRegistry(builtinPlugins());
  const spec = parsePipeline(data.pipeline.text, data.pipeline.file, registry, { env: {} });
  const stage = spec.stages[replica.stageIndex];
  if (!stage) throw new Error(`the pipeline has no stage ${replica.stageIndex}`);
  const logger = new StreamLogger((line) => process.stderr.write(`replica ${replica.rank}: ${line}`), 'warn');
  const container = createRunContainer(rootContainer, {
    info: { name: spec.name, seed: spec.seed, pipelineFile: spec.file },
    folder: data.folder,
    logger,
    backend,
    onnxSessions: new OrtSessionFactory(),
  });
  // The models exactly as the main thread built them (same order: anchors may be refit from the data or the teacher), and only this stage.
  built = await buildPipeline({ ...spec, stages: [stage] }, registry, container);
  const only = built.stages[0];
  if (!only) throw new Error(`the stage ${stage.name} was not built`);
  return { stage: only.stage, models: built.models, logger, folder: container.resolve(RUN_FOLDER) };
}

if (!parentPort) throw new Error('replica-worker runs as a worker_thread (started by ThreadReplicaLauncher)');
await serveReplica(parentPort, replica, build);
built?.models.student?.dispose();
built?.models.teacher?.dispose();
