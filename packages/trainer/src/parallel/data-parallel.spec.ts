import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { StreamLogger, type ImageBatch, type StageContext, type StoredTensor, type Tensor } from '@yolo-distill/core';
import { Sgd } from '../optim/sgd.js';
import type { Optimizer } from '../optim/optimizer.js';
import { TINY_REDUCTION, TinyModel, TinyTask } from '../test-support/tiny-replica-model.js';
import { typescriptWorker } from '../test-support/typescript-worker.js';
import { DataParallel } from './data-parallel.js';
import type { ReplicaLauncher } from './replica-launcher.js';
import { shardGradients } from './shard-gradients.js';

const WORKER = new URL('../test-support/tiny-replica-worker.ts', import.meta.url);
const SEED = 7;

/** Starts tiny replicas and remembers every thread and whether it has exited. */
class TinyLauncher implements ReplicaLauncher {
  readonly threads: { worker: Worker; exited: Promise<unknown> }[] = [];
  constructor(private readonly channels = 4) {}
  launch(replica: Parameters<ReplicaLauncher['launch']>[0]): Worker {
    const worker = typescriptWorker(WORKER, { replica, seed: SEED, channels: this.channels });
    this.threads.push({ worker, exited: once(worker, 'exit') });
    return worker;
  }
}

/** Records the gradients it is given (copies), then applies plain SGD. */
class RecordingSgd implements Optimizer {
  readonly kind = 'recording';
  readonly seen: Float32Array[][] = [];
  private readonly sgd: Sgd;
  constructor(variables: readonly tf.Variable[]) {
    this.sgd = new Sgd(variables, { momentum: 0.9, nesterov: true, weightDecay: 0 });
  }
  apply(grads: readonly (Tensor | undefined)[], lr: number, clip = 0): number {
    this.seen.push(grads.map((g) => Float32Array.from((g as Tensor).dataSync())));
    return this.sgd.apply(grads, lr, clip);
  }
  saveState(): Promise<Record<string, StoredTensor>> {
    return this.sgd.saveState();
  }
  loadState(): void {}
  dispose(): void {}
}

function batchOf(n: number, seed: number): ImageBatch {
  const images = tf.tidy(() => tf.randomUniform([n, 6, 6, 3], 0, 1, 'float32', seed).dataSync() as Float32Array);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < (i * 7 + seed) % 4; k++) rows.push(i, k % 2, 0.5, 0.5, 0.2, 0.2);
  return { images: Float32Array.from(images), shape: [n, 6, 6, 3], targets: Float32Array.from(rows), targetCount: rows.length / 6, sources: Array.from({ length: n }, (_, i) => `img${i}`) };
}

const context = { index: 0, logger: new StreamLogger(() => {}) } as unknown as StageContext;

async function start(workers: number, student: TinyModel, launcher: ReplicaLauncher): Promise<DataParallel> {
  const task = new TinyTask(student);
  return DataParallel.start({ stageName: 'tiny', stageIndex: context.index, workers, launcher, student, task, variables: student.trainableVariables(), reduction: TINY_REDUCTION, imageShape: [1, 6, 6, 3] });
}

function maxRelative(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i] as number));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / scale);
  return worst;
}

describe('DataParallel', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  for (const workers of [2, 3]) {
    it(`sums ${workers} ranks' gradients to the single-thread gradient of the batch, step after step, and ends with its parameters`, async () => {
      const student = new TinyModel(SEED);
      const reference = new TinyModel(SEED);
      const launcher = new TinyLauncher();
      const parallel = await start(workers, student, launcher);
      const optimizer = new RecordingSgd(student.trainableVariables());
      const refOptimizer = new Sgd(reference.trainableVariables(), { momentum: 0.9, nesterov: true, weightDecay: 0 });
      const refTask = new TinyTask(reference);
      try {
        for (let step = 0; step < 3; step++) {
          // 7 images: uneven shards (4 + 3, 3 + 2 + 2), so the batch-mean term's shares matter.
          const batch = batchOf(7, 11 + step);
          const info = { epoch: 0, epochs: 1, step };
          const values = await parallel.step(batch, info, optimizer, 0.05, 0, () => {});
          const single = await shardGradients(refTask, reference.trainableVariables(), batch, 1, info, TINY_REDUCTION);
          try {
            single.grads.forEach((g, i) => expect(maxRelative(Float32Array.from((g as Tensor).dataSync()), optimizer.seen[step]?.[i] as Float32Array)).toBeLessThan(1e-5));
            expect(values.total).toBeCloseTo(single.values.total, 4);
            expect(values.components['activity']).toBeCloseTo(single.values.components['activity'] as number, 5);
            expect(values.details['native.mse']).toBeCloseTo(single.values.details['native.mse'] as number, 5);
            refOptimizer.apply(single.grads, 0.05, 0);
          } finally {
            single.dispose();
          }
        }
        for (const [name, t] of Object.entries(reference.getWeights())) {
          const mine = student.getWeights()[name] as Tensor;
          if (name === 'runningMean') continue; // rank 0 saw only its shards: its running mean is its own (DDP without SyncBN)
          expect(maxRelative(Float32Array.from(t.dataSync()), Float32Array.from(mine.dataSync()))).toBeLessThan(1e-5);
        }
      } finally {
        await parallel.close();
        student.dispose();
        reference.dispose();
      }
      await Promise.all(launcher.threads.map((t) => t.exited));
      expect(launcher.threads).toHaveLength(workers - 1);
    }, 300_000);
  }

  it('refuses replicas whose student differs from the main thread, naming the difference, and leaves no thread running', async () => {
    const student = new TinyModel(SEED);
    const launcher = new TinyLauncher(5);
    try {
      await expect(start(2, student, launcher)).rejects.toThrow(/tiny: replica 1 could not start: replica 1 of tiny does not match the main thread's student: trainable variable 0: the main thread has \[3, 3, 3, 4\], the replica \[3, 3, 3, 5\] \(was the student changed by an earlier stage/);
    } finally {
      student.dispose();
    }
    await Promise.all(launcher.threads.map((t) => t.exited));
  }, 180_000);

  it('fails a step, not the process, when a replica dies, and still closes', async () => {
    const student = new TinyModel(SEED);
    const launcher = new TinyLauncher();
    const parallel = await start(2, student, launcher);
    const optimizer = new RecordingSgd(student.trainableVariables());
    try {
      await launcher.threads[0]?.worker.terminate();
      await expect(parallel.step(batchOf(4, 1), { epoch: 0, epochs: 1, step: 0 }, optimizer, 0.1, 0, () => {})).rejects.toThrow(/tiny: replica 1 exited/);
    } finally {
      await parallel.close();
      student.dispose();
    }
  }, 180_000);
});
