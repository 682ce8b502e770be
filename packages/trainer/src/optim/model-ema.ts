import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, StoredTensor, Tensor, Variable } from '@yolo-distill/core';
import { FlatLayout } from './flat-layout.js';
import { readValues, writeValues } from './tensor-values.js';

export interface EmaOptions {
  /** The decay approached as updates accumulate (Ultralytics: 0.9999). */
  readonly decay: number;
  /** Ramp constant in updates: d = decay (1 - exp(-updates / tau)) (Ultralytics: 2000). */
  readonly tau: number;
}

/** What the training loop needs of a moving average of the model's weights. */
export interface WeightAverage {
  readonly updates: number;
  /** The decay the next update uses. */
  currentDecay(): number;
  update(weights: NamedTensors): void;
  /** The averages by weight name (tensors the average owns: do not dispose them). */
  weights(): NamedTensors;
  saveState(): Promise<Record<string, StoredTensor>>;
  loadState(tensors: Readonly<Record<string, StoredTensor>>): void;
  dispose(): void;
}

/**
 * Ultralytics' ModelEMA: an exponential moving average of every parameter, running statistics included,
 * with a decay that ramps up so early weights do not dominate. Evaluate and export the average.
 * The average lives in one Float32Array (the weights end to end) and moves as a JS loop; its tensors
 * are refreshed from that buffer only when `weights()` is asked for. Checkpoints: `w.<name>` per weight
 * and `updates`, as `TensorModelEma` saves them.
 */
export class ModelEma implements WeightAverage {
  private readonly names: readonly string[];
  private readonly layout: FlatLayout;
  private readonly shadow: Float32Array;
  private readonly averages: readonly Variable[];
  /** Whether `shadow` moved since the tensors were last written. */
  private stale = false;
  updates = 0;

  constructor(
    weights: NamedTensors,
    private readonly options: EmaOptions,
  ) {
    const entries = Object.entries(weights);
    this.names = entries.map(([name]) => name);
    this.layout = new FlatLayout(entries.map(([, t]) => t.shape));
    this.shadow = new Float32Array(this.layout.length);
    entries.forEach(([, t], i) => this.shadow.set(readValues(t), this.layout.segment(i).offset));
    this.averages = entries.map(([, t]) => tf.tidy(() => tf.variable(tf.clone(t), false)));
  }

  currentDecay(): number {
    return this.options.decay * (1 - Math.exp(-(this.updates + 1) / this.options.tau));
  }

  update(weights: NamedTensors): void {
    const lives = this.names.map((name, i) => {
      const live = weights[name];
      if (!live) throw new Error(`EMA: the model no longer has '${name}'`);
      if (live.size !== this.layout.segment(i).size) throw new Error(`EMA: '${name}' has ${live.size} values, the average ${this.layout.segment(i).size}`);
      return live;
    });
    const d = this.currentDecay();
    const keep = 1 - d;
    this.updates += 1;
    lives.forEach((live, i) => blend(this.layout.view(this.shadow, i), readValues(live), d, keep));
    this.stale = true;
  }

  weights(): NamedTensors {
    if (this.stale) {
      tf.tidy(() => this.averages.forEach((v, i) => writeValues(v, this.layout.view(this.shadow, i))));
      this.stale = false;
    }
    return Object.fromEntries(this.names.map((name, i) => [name, this.averages[i] as Tensor]));
  }

  saveState(): Promise<Record<string, StoredTensor>> {
    const out: Record<string, StoredTensor> = { updates: { shape: [1], dtype: 'int32', data: Int32Array.of(this.updates) } };
    this.names.forEach((name, i) => {
      const s = this.layout.segment(i);
      out[`w.${name}`] = { shape: [...s.shape], dtype: 'float32', data: this.shadow.slice(s.offset, s.offset + s.size) };
    });
    return Promise.resolve(out);
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    const found = this.names.map((name, i) => {
      const stored = tensors[`w.${name}`];
      if (!stored) throw new Error(`EMA: the checkpoint has no average for '${name}'`);
      const s = this.layout.segment(i);
      if (stored.shape.join('x') !== s.shape.join('x')) throw new Error(`EMA: the average of '${name}' is [${stored.shape.join(', ')}] in the checkpoint but [${s.shape.join(', ')}] here`);
      return stored;
    });
    found.forEach((stored, i) => this.shadow.set(stored.data, this.layout.segment(i).offset));
    this.stale = true;
    this.updates = Number(tensors['updates']?.data[0] ?? 0);
  }

  dispose(): void {
    tf.dispose([...this.averages]);
  }
}

/** average = d * average + keep * live, element by element. */
function blend(average: Float32Array, live: Float32Array, d: number, keep: number): void {
  const n = average.length;
  for (let j = 0; j < n; j++) average[j] = d * (average[j] as number) + keep * (live[j] as number);
}
