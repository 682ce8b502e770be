import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensor, Tensor, Variable } from '@yolo-distill/core';
import { withClippedGradients } from './clip-gradients.js';
import { decays, type Optimizer } from './optimizer.js';
import type { SgdOptions } from './sgd.js';
import { SlotSet } from './slot-set.js';

/**
 * PyTorch's SGD as tensor ops: the reference the flat `Sgd` is tested against, and the A/B baseline of
 * the benchmarks. Same slots, same checkpoint format.
 */
export class TensorSgd implements Optimizer {
  readonly kind = 'sgd';
  private readonly slots: SlotSet;

  constructor(
    private readonly variables: readonly Variable[],
    private readonly options: SgdOptions,
  ) {
    this.slots = new SlotSet(variables);
  }

  apply(grads: readonly (Tensor | undefined)[], learningRate: number, clipNorm = 0): number {
    return withClippedGradients(grads, clipNorm, (clipped) => this.update(clipped, learningRate));
  }

  private update(grads: readonly (Tensor | undefined)[], learningRate: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    const velocity = momentum > 0 ? this.slots.get('velocity') : [];
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        const given = grads[i];
        if (given === undefined) return;
        let g: Tensor = given;
        if (weightDecay > 0 && decays(w)) g = tf.add(g, tf.mul(w, weightDecay));
        let step = g;
        if (momentum > 0) {
          const v = velocity[i] as Variable;
          const next = tf.add(tf.mul(v, momentum), g);
          v.assign(next);
          step = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
        }
        w.assign(tf.sub(w, tf.mul(step, learningRate)));
      });
    });
  }

  saveState(): Promise<Record<string, StoredTensor>> {
    return this.slots.save(this.options.momentum > 0 ? ['velocity'] : []);
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    this.slots.load(this.options.momentum > 0 ? ['velocity'] : [], tensors, 'sgd');
  }

  dispose(): void {
    this.slots.dispose();
  }
}
