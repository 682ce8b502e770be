import type { ImageBatch, StepInfo, StoredTensor } from '@yolo-distill/core';
import type { TensorEntry } from './replica-weights.js';
import type { ReplicaBuffers } from './shared-buffers.js';
import type { StepValues } from './step-values.js';

/** What a replica thread is started with (the launcher passes it on as is). */
export interface ReplicaInit {
  /** 1..workers-1 (rank 0 is the main thread). */
  readonly rank: number;
  readonly workers: number;
  /** The stage's index in the pipeline: the replica builds this stage. */
  readonly stageIndex: number;
  readonly stageName: string;
  /** The trainable variables, in the loop's order (names are the main thread's tfjs names). */
  readonly variables: readonly TensorEntry[];
  /** What the main thread broadcasts (`ReplicaWeights`). */
  readonly weights: readonly TensorEntry[];
  /** The student's head description as JSON: anchors, strides, classes must match too. */
  readonly head: string;
  /** `[1, h, w, c]` of a training image (the task's probe batch). */
  readonly imageShape: readonly [number, number, number, number];
  /**
   * The main thread's student checkpoint meta (its channel counts, when an earlier stage pruned it): the
   * replica builds the pipeline's student from the YAML, unpruned, and rebuilds it to these shapes.
   */
  readonly studentMeta?: Readonly<Record<string, unknown>>;
  /** The main thread's Conv-BN-act kernel choice, so that both compute the same numbers. */
  readonly fusedConvBnAct: boolean;
  readonly buffers: ReplicaBuffers;
}

/** Main thread -> replica. Messages are handled in order. */
export type ToReplica =
  /** New weights are in the buffer; `stepped`: they follow an optimiser step (run the task's `afterStep`). */
  | { readonly type: 'sync'; readonly stepped: boolean }
  /** The task's state (calibrated weights, connectors) after the main thread set it up or resumed. */
  | { readonly type: 'state'; readonly tensors: Readonly<Record<string, StoredTensor>> }
  | { readonly type: 'step'; readonly id: number; readonly batch: ImageBatch; readonly share: number; readonly info: StepInfo }
  | { readonly type: 'close' };

/** Replica -> main thread. */
export type FromReplica =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  /** The gradients are in the rank's slot; `present[i]`: variable i had a gradient (else zeros). */
  | { readonly type: 'done'; readonly id: number; readonly values: StepValues; readonly present: readonly boolean[] }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'closed' };
