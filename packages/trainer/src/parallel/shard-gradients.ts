import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch, Scalar, StepInfo, Tensor, Variable } from '@yolo-distill/core';
import type { TrainingTask } from '../loop/training-task.js';
import type { LossReduction } from './loss-reduction.js';
import type { StepValues } from './step-values.js';

/** One shard's gradients (index-aligned with the variables; undefined: no path to the loss) and numbers. */
export interface ShardGradients {
  readonly grads: readonly (Tensor | undefined)[];
  readonly values: StepValues;
  /** Frees the gradients. */
  dispose(): void;
}

/**
 * The differentiable part of a step on one shard of a batch, exactly as the single-thread loop runs it
 * on a whole batch (`task.prepare`, then `compute` inside `tf.variableGrads`), except that batch-mean
 * components count with the shard's `share` so that the shards' gradients sum to the batch's. Every
 * rank, the main thread included, computes its shard through this one function.
 */
export async function shardGradients(
  task: TrainingTask,
  variables: readonly Variable[],
  shard: ImageBatch,
  share: number,
  info: StepInfo,
  reduction: LossReduction,
): Promise<ShardGradients> {
  const images = tf.tensor4d(shard.images, [...shard.shape]);
  const prepared = await task.prepare(images, shard, info);
  const kept: { components: Record<string, Scalar>; details: Record<string, Scalar> } = { components: {}, details: {} };
  const disposables: Tensor[] = [images];
  let ordered: (Tensor | undefined)[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const terms = prepared.compute();
      for (const [name, t] of Object.entries(terms.components)) kept.components[name] = tf.keep(t);
      for (const [name, t] of Object.entries(terms.details)) kept.details[name] = tf.keep(t);
      const names = Object.keys(terms.components);
      if (names.every((name) => reduction.component(name) === 'sum')) return terms.total;
      return tf.addN(names.map((name) => (reduction.component(name) === 'sum' ? terms.components[name] : tf.mul(terms.components[name] as Scalar, share)) as Scalar)) as Scalar;
    }, variables as Variable[]);
    ordered = variables.map((v) => grads[v.name] ?? undefined);
    disposables.push(value);
    const componentNames = Object.keys(kept.components);
    const detailNames = Object.keys(kept.details);
    const read = tf.tidy(() => tf.stack([value, ...Object.values(kept.components), ...Object.values(kept.details)]));
    const numbers = Array.from(await read.data());
    read.dispose();
    const owned = ordered;
    ordered = [];
    return {
      grads: owned,
      values: {
        total: numbers[0] as number,
        components: Object.fromEntries(componentNames.map((n, i) => [n, numbers[1 + i] as number])),
        details: Object.fromEntries(detailNames.map((n, i) => [n, numbers[1 + componentNames.length + i] as number])),
      },
      dispose: () => tf.dispose(owned.filter((g): g is Tensor => g !== undefined)),
    };
  } finally {
    // On success `ordered` was handed over (emptied); on an error it still holds the gradients.
    tf.dispose([...disposables, ...Object.values(kept.components), ...Object.values(kept.details)]);
    tf.dispose(ordered.filter((g): g is Tensor => g !== undefined));
    prepared.release();
  }
}
