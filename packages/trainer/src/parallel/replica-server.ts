import type { MessagePort } from 'node:worker_threads';
import { setFusedConvBnAct } from '@yolo-distill/backend';
import { EventBus, SeededRng, type DetectionModel, type ImageBatch, type Logger, type PipelineModels, type RunFolder, type Stage, type StageContext, type Variable } from '@yolo-distill/core';
import type { TrainingTask } from '../loop/training-task.js';
import { FlatLayout } from '../optim/flat-layout.js';
import { readValues } from '../optim/tensor-values.js';
import type { LossReduction } from './loss-reduction.js';
import type { FromReplica, ReplicaInit, ToReplica } from './replica-protocol.js';
import { layoutDifference, ReplicaWeights } from './replica-weights.js';
import { ReplicaViews } from './shared-buffers.js';
import { shardGradients } from './shard-gradients.js';

/** A training stage as a replica sees it: it can make the task the main thread runs, and says how its losses split. */
export interface ReplicableStage extends Stage {
  makeTask(): TrainingTask;
  readonly lossReduction: LossReduction;
}

export function isReplicableStage(stage: Stage): stage is ReplicableStage {
  const candidate = stage as Partial<ReplicableStage>;
  return typeof candidate.makeTask === 'function' && candidate.lossReduction !== undefined;
}

/** What the composition root built in the replica's thread, as the main thread built it. */
export interface ReplicaParts {
  readonly stage: Stage;
  readonly models: PipelineModels;
  readonly logger: Logger;
  readonly folder: RunFolder;
}

/**
 * The replica side of a data-parallel training stage, run in a worker thread: builds (`build`), checks
 * that its student and variables match the main thread's layout, then for each `step` message computes
 * the gradients of its shard and writes them into its slot, and for each `sync` takes the broadcast
 * weights. Returns after `close` (or when the port closes), having freed everything.
 */
export async function serveReplica(port: MessagePort, init: ReplicaInit, build: () => Promise<ReplicaParts>): Promise<void> {
  const send = (message: FromReplica) => port.postMessage(message);
  let replica: Replica;
  try {
    setFusedConvBnAct(init.fusedConvBnAct);
    replica = await Replica.open(init, await build());
  } catch (error) {
    send({ type: 'failed', message: messageOf(error) });
    port.close();
    return;
  }
  send({ type: 'ready' });
  await new Promise<void>((resolve) => {
    // One message at a time, in order: a step must not start before the sync that precedes it is done.
    let queue = Promise.resolve();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      replica.dispose();
      resolve();
    };
    port.on('message', (message: ToReplica) => {
      queue = queue.then(async () => {
        if (message.type === 'close') {
          finish();
          send({ type: 'closed' });
          port.close();
          return;
        }
        try {
          const reply = await replica.handle(message);
          if (reply) send(reply);
        } catch (error) {
          send({ type: 'error', id: message.type === 'step' ? message.id : -1, message: messageOf(error) });
        }
      });
    });
    port.on('close', finish);
  });
}

class Replica {
  private constructor(
    private readonly init: ReplicaInit,
    private readonly task: TrainingTask,
    private readonly variables: readonly Variable[],
    private readonly gradientLayout: FlatLayout,
    private readonly weights: ReplicaWeights,
    private readonly views: ReplicaViews,
    private readonly reduction: LossReduction,
  ) {}

  static async open(init: ReplicaInit, parts: ReplicaParts): Promise<Replica> {
    const { stage, models } = parts;
    const where = `replica ${init.rank} of ${init.stageName}`;
    if (!isReplicableStage(stage)) throw new Error(`${where}: the pipeline's stage ${init.stageIndex} (${stage.name}) does not train in replicas`);
    const student = studentShapedLikeMain(models, init);
    if (!student) throw new Error(`${where}: the pipeline has no student`);
    const task = stage.makeTask();
    try {
      // Resumed: checks and calibration are the main thread's; their results arrive as a 'state' message.
      await task.initialize(replicaContext(init, parts), probeBatch(init.imageShape), true);
      const variables = [...student.trainableVariables(), ...task.extraVariables()];
      const weights = new ReplicaWeights(student, task.extraVariables());
      checkLayout(where, init, student, variables, weights);
      return new Replica(init, task, variables, new FlatLayout(variables.map((v) => v.shape)), weights, new ReplicaViews(init.buffers), stage.lossReduction);
    } catch (error) {
      task.dispose();
      throw error;
    }
  }

  async handle(message: Exclude<ToReplica, { type: 'close' }>): Promise<FromReplica | undefined> {
    if (message.type === 'sync') {
      this.views.observe(0);
      this.weights.read(this.views.weights);
      if (message.stepped) this.task.afterStep?.();
      return undefined;
    }
    if (message.type === 'state') {
      this.task.loadState?.(message.tensors);
      return undefined;
    }
    return this.step(message.id, message.batch, message.share, message.info);
  }

  private async step(id: number, batch: ImageBatch, share: number, info: Extract<ToReplica, { type: 'step' }>['info']): Promise<FromReplica> {
    const shard = await shardGradients(this.task, this.variables, batch, share, info, this.reduction);
    try {
      const slot = this.views.gradientSlot(this.init.rank);
      const present = shard.grads.map((g, i) => {
        const target = this.gradientLayout.view(slot, i);
        // A heap view is valid until the next allocation: copy it at once.
        if (g) target.set(readValues(g));
        else target.fill(0);
        return g !== undefined;
      });
      this.views.publish(this.init.rank);
      return { type: 'done', id, values: shard.values, present };
    } finally {
      shard.dispose();
    }
  }

  dispose(): void {
    this.task.dispose();
  }
}

/**
 * The replica's student with the main thread's channel counts: the replica builds the pipeline's student
 * from the YAML, so after a pruning stage it is rebuilt (its weights arrive with the first broadcast).
 */
function studentShapedLikeMain(models: PipelineModels, init: ReplicaInit): DetectionModel | undefined {
  const student = models.student;
  if (!student || !init.studentMeta || !student.shapedFor) return student;
  const shaped = student.shapedFor({ meta: { ...init.studentMeta }, tensors: {} });
  if (shaped !== student) {
    student.dispose();
    models.student = shaped;
  }
  return shaped;
}

function checkLayout(where: string, init: ReplicaInit, student: DetectionModel, variables: readonly Variable[], weights: ReplicaWeights): void {
  const hint = ' (was the student changed by an earlier stage in a way the pipeline cannot rebuild? then use workers: 1)';
  // tfjs names variables uniquely per thread: compare their shapes in order, the weights by name.
  const shapesOnly = (entries: readonly { shape: readonly number[] }[]) => entries.map((e) => ({ name: '', shape: e.shape }));
  const problem =
    layoutDifference('trainable variable', shapesOnly(init.variables), shapesOnly(variables)) ??
    layoutDifference('weight', init.weights, weights.entries) ??
    (JSON.stringify(student.headDescription ?? null) === init.head ? undefined : `the head differs: the main thread has ${init.head}, the replica ${JSON.stringify(student.headDescription ?? null)}`);
  if (problem) throw new Error(`${where} does not match the main thread's student: ${problem}${hint}`);
}

function replicaContext(init: ReplicaInit, parts: ReplicaParts): StageContext {
  return {
    index: init.stageIndex,
    models: parts.models,
    rng: new SeededRng(init.rank).fork(`replica-${init.rank}`),
    events: new EventBus(),
    logger: parts.logger,
    folder: parts.folder,
    checkpoints: {
      resumeFrom: undefined,
      save: () => Promise.reject(new Error(`replica ${init.rank}: replicas do not write checkpoints`)),
    },
    signal: new AbortController().signal,
  };
}

function probeBatch(shape: ReplicaInit['imageShape']): ImageBatch {
  const [n, h, w, c] = shape;
  return { images: new Float32Array(n * h * w * c), shape: [n, h, w, c], targets: new Float32Array(0), targetCount: 0, sources: [] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
