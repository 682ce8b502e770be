import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensor, Tensor, Variable } from '@yolo-distill/core';

/** One parameter update rule over a fixed list of variables; its slots (moments) are checkpointed. */
export interface Optimizer {
  readonly kind: string;
  /**
   * Applies one update with `grads[i]` for `variables[i]`; an undefined gradient (no path to the loss)
   * leaves that variable and its slots alone, as PyTorch skips parameters whose grad is None. With
   * `clipNorm` > 0 the gradients are first scaled as `torch.nn.utils.clip_grad_norm_` does (see
   * `clipByGlobalNorm`). Returns the global L2 norm of the given gradients before clipping. The caller
   * disposes the gradients.
   */
  apply(grads: readonly (Tensor | undefined)[], learningRate: number, clipNorm?: number): number;
  /** Slot tensors by name (`m.12`, `v.12`, `velocity.3`) plus the step count, for checkpoints. */
  saveState(): Promise<Record<string, StoredTensor>>;
  loadState(tensors: Readonly<Record<string, StoredTensor>>): void;
  dispose(): void;
}

/**
 * Weight decay applies to conv kernels only (rank 4), never to biases or BN gamma/beta: the grouping
 * Ultralytics' `build_optimizer` uses (g0 decayed, g1 BN weights and g2 biases not).
 */
export function decays(variable: Variable): boolean {
  return variable.rank === 4;
}

export async function storeVariable(variable: Tensor): Promise<StoredTensor> {
  return { shape: [...variable.shape], dtype: 'float32', data: Float32Array.from(await variable.data<'float32'>()) };
}

/** The inverse of `storeVariable`: puts a checkpointed float32 tensor back into a variable. */
export function assignStored(variable: Variable, stored: StoredTensor): void {
  tf.tidy(() => variable.assign(tf.tensor(stored.data as Float32Array, [...stored.shape], 'float32')));
}
