// A replica thread for the trainer's own tests: builds a TinyModel (seed and channels from workerData) instead of a pipeline.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '@yolo-distill/backend';
import { RunFolder, StreamLogger } from '@yolo-distill/core';
import type { ReplicaInit } from '../parallel/replica-protocol.js';
import { serveReplica } from '../parallel/replica-server.js';
import { TinyModel, tinyStage } from './tiny-replica-model.js';

const data = workerData as { replica: ReplicaInit; seed: number; channels: number };
let model: TinyModel | undefined;
if (!parentPort) throw new Error('tiny-replica-worker runs as a worker_thread');
await serveReplica(parentPort, data.replica, async () => {
  await selectBackend('wasm');
  model = new TinyModel(data.seed, data.channels);
  return { stage: tinyStage(), models: { student: model }, logger: new StreamLogger(), folder: new RunFolder('/nonexistent') };
});
model?.dispose();
