import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, Variable } from '@yolo-distill/core';
import { FlatLayout } from '../optim/flat-layout.js';
import { readValues, writeValues } from '../optim/tensor-values.js';

/** A tensor's place in a replica's layout: its name and shape. */
export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Everything a replica must hold to compute the main thread's gradients: the student's weights by
 * state-dict name (parameters and BN running statistics) and the task's extra variables (connectors)
 * as `extra.<i>`, laid end to end in one flat buffer in this order.
 */
export class ReplicaWeights {
  readonly entries: readonly TensorEntry[];
  readonly layout: FlatLayout;

  constructor(
    private readonly student: DetectionModel,
    private readonly extra: readonly Variable[],
  ) {
    const weights = student.getWeights();
    this.entries = [
      ...Object.entries(weights).map(([name, t]) => ({ name, shape: [...t.shape] })),
      ...extra.map((v, i) => ({ name: `extra.${i}`, shape: [...v.shape] })),
    ];
    this.layout = new FlatLayout(this.entries.map((e) => e.shape));
  }

  /** Main thread: copies every current value into `buffer`. */
  write(buffer: Float32Array): void {
    const weights = this.student.getWeights();
    const tensors = [...this.entries.slice(0, this.entries.length - this.extra.length).map((e) => weights[e.name]), ...this.extra];
    tensors.forEach((t, i) => {
      if (!t) throw new Error(`ReplicaWeights: the student no longer has the weight ${this.entries[i]?.name}`);
      // A heap view is valid until the next allocation: copy it at once.
      this.layout.view(buffer, i).set(readValues(t));
    });
  }

  /** Replica: takes every value from `buffer` (the student through `setWeights`). */
  read(buffer: Float32Array): void {
    const studentCount = this.entries.length - this.extra.length;
    tf.tidy(() => {
      const named: Record<string, tf.Tensor> = {};
      for (let i = 0; i < studentCount; i++) {
        const entry = this.entries[i] as TensorEntry;
        named[entry.name] = tf.tensor(owned(this.layout.view(buffer, i)), [...entry.shape], 'float32');
      }
      this.student.setWeights(named);
    });
    this.extra.forEach((v, i) => writeValues(v, owned(this.layout.view(buffer, studentCount + i))));
  }
}

/** wasm copies a typed array into its heap at once; backends that keep the array get their own copy. */
function owned(view: Float32Array): Float32Array {
  return tf.getBackend() === 'wasm' ? view : view.slice();
}

/** The first difference between two layouts (entries without a name compare by shape), or undefined when they are the same. */
export function layoutDifference(what: string, expected: readonly TensorEntry[], actual: readonly TensorEntry[]): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!e || !a) return `${what}: the main thread has ${expected.length}, the replica ${actual.length}`;
    if (e.name !== a.name || e.shape.join('x') !== a.shape.join('x')) {
      const show = (t: TensorEntry) => `${t.name ? `${t.name} ` : ''}[${t.shape.join(', ')}]`;
      return `${what} ${i}: the main thread has ${show(e)}, the replica ${show(a)}`;
    }
  }
  return undefined;
}
