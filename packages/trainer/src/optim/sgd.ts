import type { Variable } from '@yolo-distill/core';
import { FlatOptimizer, type FlatUpdate } from './flat-optimizer.js';

export interface SgdOptions {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

/**
 * PyTorch's SGD: g += wd * w (decayed params), v = momentum * v + g, step = nesterov ? g + momentum * v : v,
 * w -= lr * step; as loops over the flat layout. Slot `velocity.i` (none without momentum), as
 * `TensorSgd` saves it.
 */
export class Sgd extends FlatOptimizer {
  readonly kind = 'sgd';

  constructor(
    variables: readonly Variable[],
    private readonly options: SgdOptions,
  ) {
    super(variables, options.momentum > 0 ? ['velocity'] : []);
  }

  protected beginStep(): void {}

  protected update({ w, g, offset, scale, learningRate: lr, decay, out }: FlatUpdate): void {
    const { momentum, nesterov } = this.options;
    const wd = decay && this.options.weightDecay > 0 ? this.options.weightDecay : 0;
    const n = w.length;
    if (!(momentum > 0)) {
      for (let j = 0; j < n; j++) {
        const wj = w[j] as number;
        out[offset + j] = wj - lr * ((g[j] as number) * scale + wd * wj);
      }
      return;
    }
    const velocity = this.slots.get('velocity');
    for (let j = 0; j < n; j++) {
      const k = offset + j;
      const wj = w[j] as number;
      const gj = (g[j] as number) * scale + wd * wj;
      const vk = momentum * (velocity[k] as number) + gj;
      velocity[k] = vk;
      out[k] = wj - lr * (nesterov ? gj + momentum * vk : vk);
    }
  }
}
