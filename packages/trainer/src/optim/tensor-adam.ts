import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensor, Tensor, Variable } from '@yolo-distill/core';
import type { AdamOptions } from './adam.js';
import { withClippedGradients } from './clip-gradients.js';
import { decays, type Optimizer } from './optimizer.js';
import { SlotSet } from './slot-set.js';

/**
 * Adam / AdamW as tensor ops (about 12 kernel calls per variable): the reference the flat `Adam` is
 * tested against, and the A/B baseline of the benchmarks. Same slots, same checkpoint format.
 */
export class TensorAdam implements Optimizer {
  readonly kind: string;
  private readonly slots: SlotSet;
  private step = 0;

  constructor(
    private readonly variables: readonly Variable[],
    private readonly options: AdamOptions,
  ) {
    this.kind = options.decoupled ? 'adamw' : 'adam';
    this.slots = new SlotSet(variables);
  }

  apply(grads: readonly (Tensor | undefined)[], learningRate: number, clipNorm = 0): number {
    return withClippedGradients(grads, clipNorm, (clipped) => this.update(clipped, learningRate));
  }

  private update(grads: readonly (Tensor | undefined)[], learningRate: number): void {
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.options;
    this.step += 1;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    const m = this.slots.get('m');
    const v = this.slots.get('v');
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        const given = grads[i];
        if (given === undefined) return;
        let g: Tensor = given;
        const decay = weightDecay > 0 && decays(w);
        if (decay && !decoupled) g = tf.add(g, tf.mul(w, weightDecay));
        const mi = m[i] as Variable;
        const vi = v[i] as Variable;
        const mNext = tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1));
        const vNext = tf.add(tf.mul(vi, beta2), tf.mul(tf.square(g), 1 - beta2));
        mi.assign(mNext);
        vi.assign(vNext);
        const update = tf.div(tf.div(mNext, correction1), tf.add(tf.sqrt(tf.div(vNext, correction2)), epsilon));
        const base = decay && decoupled ? tf.mul(w, 1 - learningRate * weightDecay) : w;
        w.assign(tf.sub(base, tf.mul(update, learningRate)));
      });
    });
  }

  async saveState(): Promise<Record<string, StoredTensor>> {
    return { ...(await this.slots.save(['m', 'v'])), step: { shape: [1], dtype: 'int32', data: Int32Array.of(this.step) } };
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    this.slots.load(['m', 'v'], tensors, this.kind);
    this.step = Number(tensors['step']?.data[0] ?? 0);
  }

  dispose(): void {
    this.slots.dispose();
  }
}
