import type { StoredTensor, Variable } from '@yolo-distill/core';
import { FlatOptimizer, type FlatUpdate } from './flat-optimizer.js';

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** AdamW (Loshchilov & Hutter): decay the weights directly instead of adding wd * w to the gradient. */
  readonly decoupled: boolean;
}

/**
 * Adam / AdamW as PyTorch defines them (bias-corrected moments; eps added after the square root), as
 * loops over the flat layout: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * w = w (1 - lr wd, AdamW on conv kernels) - lr (m / c1) / (sqrt(v / c2) + eps), where g includes
 * wd * w for Adam on conv kernels. Slots `m.i`, `v.i` and the step count, as `TensorAdam` saves them.
 */
export class Adam extends FlatOptimizer {
  readonly kind: string;
  private step = 0;
  private correction1 = 1;
  private correction2 = 1;

  constructor(
    variables: readonly Variable[],
    private readonly options: AdamOptions,
  ) {
    super(variables, ['m', 'v']);
    this.kind = options.decoupled ? 'adamw' : 'adam';
  }

  protected beginStep(): void {
    this.step += 1;
    this.correction1 = 1 - this.options.beta1 ** this.step;
    this.correction2 = 1 - this.options.beta2 ** this.step;
  }

  protected update({ w, g, offset, scale, learningRate: lr, decay, out }: FlatUpdate): void {
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.options;
    const m = this.slots.get('m');
    const v = this.slots.get('v');
    const c1 = this.correction1;
    const c2 = this.correction2;
    const decayed = decay && weightDecay > 0;
    const l2 = decayed && !decoupled ? weightDecay : 0;
    const shrink = decayed && decoupled ? 1 - lr * weightDecay : 1;
    // lr (m / c1) / (sqrt(v / c2) + eps) with the divisions by the corrections hoisted out of the loop.
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    const step = lr / c1;
    const inverse2 = 1 / c2;
    const n = w.length;
    for (let j = 0; j < n; j++) {
      const k = offset + j;
      const wj = w[j] as number;
      const gj = (g[j] as number) * scale + l2 * wj;
      const mk = beta1 * (m[k] as number) + a1 * gj;
      const vk = beta2 * (v[k] as number) + a2 * gj * gj;
      m[k] = mk;
      v[k] = vk;
      out[k] = wj * shrink - (step * mk) / (Math.sqrt(vk * inverse2) + epsilon);
    }
  }

  override async saveState(): Promise<Record<string, StoredTensor>> {
    return { ...(await super.saveState()), step: { shape: [1], dtype: 'int32', data: Int32Array.of(this.step) } };
  }

  override loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    super.loadState(tensors);
    this.step = Number(tensors['step']?.data[0] ?? 0);
  }
}
