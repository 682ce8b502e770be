import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, StoredTensor, Tensor, Variable } from '@yolo-distill/core';
import type { EmaOptions, WeightAverage } from './model-ema.js';
import { assignStored, storeVariable } from './optimizer.js';

/**
 * Ultralytics' ModelEMA as tensor ops (three kernel calls per weight and update): the reference the flat
 * `ModelEma` is tested against, and the A/B baseline of the benchmarks. Same checkpoint format.
 */
export class TensorModelEma implements WeightAverage {
  private readonly shadow = new Map<string, Variable>();
  updates = 0;

  constructor(
    weights: NamedTensors,
    private readonly options: EmaOptions,
  ) {
    for (const [name, tensor] of Object.entries(weights)) this.shadow.set(name, tf.tidy(() => tf.variable(tf.clone(tensor), false)));
  }

  /** The decay the next update uses. */
  currentDecay(): number {
    return this.options.decay * (1 - Math.exp(-(this.updates + 1) / this.options.tau));
  }

  update(weights: NamedTensors): void {
    const d = this.currentDecay();
    this.updates += 1;
    tf.tidy(() => {
      for (const [name, average] of this.shadow) {
        const live = weights[name];
        if (!live) throw new Error(`EMA: the model no longer has '${name}'`);
        average.assign(tf.add(tf.mul(average, d), tf.mul(live, 1 - d)));
      }
    });
  }

  weights(): NamedTensors {
    return Object.fromEntries(this.shadow) as Record<string, Tensor>;
  }

  async saveState(): Promise<Record<string, StoredTensor>> {
    const out: Record<string, StoredTensor> = { updates: { shape: [1], dtype: 'int32', data: Int32Array.of(this.updates) } };
    for (const [name, v] of this.shadow) out[`w.${name}`] = await storeVariable(v);
    return out;
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    for (const [name, v] of this.shadow) {
      const stored = tensors[`w.${name}`];
      if (!stored) throw new Error(`EMA: the checkpoint has no average for '${name}'`);
      assignStored(v, stored);
    }
    this.updates = Number(tensors['updates']?.data[0] ?? 0);
  }

  dispose(): void {
    tf.dispose([...this.shadow.values()]);
    this.shadow.clear();
  }
}
