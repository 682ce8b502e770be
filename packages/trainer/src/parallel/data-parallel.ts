import * as tf from '@tensorflow/tfjs-core';
import { fusedConvBnActEnabled } from '@yolo-distill/backend';
import type { DetectionModel, ImageBatch, StepInfo, Tensor, Variable } from '@yolo-distill/core';
import type { TrainingTask } from '../loop/training-task.js';
import { FlatLayout } from '../optim/flat-layout.js';
import type { Optimizer } from '../optim/optimizer.js';
import { readValues } from '../optim/tensor-values.js';
import { shardBatch } from './batch-shards.js';
import { combineValues } from './combine-values.js';
import type { LossReduction } from './loss-reduction.js';
import { ReplicaGroup, type ReplicaStep } from './replica-group.js';
import type { ReplicaLauncher } from './replica-launcher.js';
import { ReplicaWeights } from './replica-weights.js';
import { createReplicaBuffers } from './shared-buffers.js';
import { shardGradients } from './shard-gradients.js';
import type { StepValues } from './step-values.js';

export interface DataParallelOptions {
  readonly stageName: string;
  readonly stageIndex: number;
  /** Ranks in all, the main thread included (> 1). */
  readonly workers: number;
  readonly launcher: ReplicaLauncher;
  readonly student: DetectionModel;
  readonly task: TrainingTask;
  /** The loop's variables: the student's trainable ones, then the task's extra ones. */
  readonly variables: readonly Variable[];
  readonly reduction: LossReduction;
  /** `[1, h, w, c]` of a training image. */
  readonly imageShape: readonly [number, number, number, number];
}

/**
 * Data-parallel training steps, as DDP without SyncBN: each batch is split into `workers` contiguous
 * shards; the main thread (rank 0) computes the first while each replica thread computes its own with
 * a copy of the student; the gradients are summed in rank order (batch-mean loss terms count with
 * their shard's share, see `LossReduction`), so the result does not depend on timing; the main thread
 * applies the one optimiser step (clipping, EMA, checkpoints stay its own, unchanged) and broadcasts
 * the new weights, BN running statistics included.
 *
 * BN: in training mode each rank normalises with its own shard's batch statistics (as DDP without
 * SyncBN); the running statistics that count are rank 0's: they are the ones validated, averaged by
 * the EMA and checkpointed, and every broadcast overwrites the replicas' with them, so all ranks hold
 * the same state at the start of every step.
 */
export class DataParallel {
  private constructor(
    private readonly options: DataParallelOptions,
    private readonly group: ReplicaGroup,
    private readonly layout: FlatLayout,
  ) {}

  /** Starts the replicas, hands them the task's state and the current weights (after a resume: the restored ones). */
  static async start(options: DataParallelOptions): Promise<DataParallel> {
    const { student, task, variables, workers } = options;
    const weights = new ReplicaWeights(student, task.extraVariables());
    const layout = new FlatLayout(variables.map((v) => v.shape));
    const buffers = createReplicaBuffers(layout.length, weights.layout.length, workers - 1);
    const base = {
      workers,
      stageIndex: options.stageIndex,
      stageName: options.stageName,
      variables: variables.map((v) => ({ name: v.name, shape: [...v.shape] })),
      weights: weights.entries,
      head: JSON.stringify(student.headDescription ?? null),
      imageShape: options.imageShape,
      fusedConvBnAct: fusedConvBnActEnabled(),
      ...(student.shapedFor ? { studentMeta: (await student.saveState()).meta } : {}),
    };
    const group = await ReplicaGroup.start(options.launcher, base, buffers, weights);
    try {
      if (task.saveState) group.sendState(await task.saveState());
      group.broadcast(false);
    } catch (error) {
      await group.close();
      throw error;
    }
    return new DataParallel(options, group, layout);
  }

  /**
   * One optimiser step on `batch`; `afterUpdate` runs after the update and before the broadcast (the
   * loop's EMA and the task's `afterStep`). Returns the batch's numbers and the gradient norm.
   */
  async step(batch: ImageBatch, info: StepInfo, optimizer: Optimizer, learningRate: number, clipNorm: number, afterUpdate: () => void): Promise<StepValues & { gradNorm: number }> {
    const { task, variables, reduction } = this.options;
    const [own, ...others] = shardBatch(batch, this.options.workers);
    if (!own) throw new Error('DataParallel.step: an empty batch');
    const shares = others.map((s) => s.share);
    const answers = this.group.run(others, info);
    // The replicas compute meanwhile; a failure here must not leave their answer unobserved.
    answers.catch(() => {});
    const mine = await shardGradients(task, variables, own.batch, own.share, info, reduction);
    let gradNorm: number;
    let replies: ReplicaStep[];
    try {
      replies = await answers;
      const grads = this.sum(mine.grads, replies);
      try {
        gradNorm = optimizer.apply(grads, learningRate, clipNorm);
      } finally {
        tf.dispose(grads.filter((g): g is Tensor => g !== undefined));
      }
    } finally {
      mine.dispose();
    }
    afterUpdate();
    this.group.broadcast(true);
    const values = combineValues([{ values: mine.values, share: own.share }, ...replies.map((r, i) => ({ values: r.values, share: shares[i] as number }))], reduction);
    return { ...values, gradNorm };
  }

  /** Per variable: rank 0's gradient, then each replica's added in rank order; undefined where no rank has one. */
  private sum(own: readonly (Tensor | undefined)[], replies: readonly ReplicaStep[]): (Tensor | undefined)[] {
    const slots = replies.map((r) => this.group.gradients(r.rank));
    return this.options.variables.map((variable, i) => {
      const mine = own[i];
      if (!mine && !replies.some((r) => r.present[i])) return undefined;
      const segment = this.layout.segment(i);
      const sum = new Float32Array(segment.size);
      // A heap view is valid until the next allocation: copy it at once.
      if (mine) sum.set(readValues(mine));
      replies.forEach((r, k) => {
        if (!r.present[i]) return;
        const slot = (slots[k] as Float32Array).subarray(segment.offset, segment.offset + segment.size);
        for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] as number) + (slot[j] as number);
      });
      return tf.tensor(sum, [...variable.shape], 'float32');
    });
  }

  close(): Promise<void> {
    return this.group.close();
  }
}
