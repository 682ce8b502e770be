import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensor, Variable } from '@yolo-distill/core';
import { assignStored, storeVariable } from './optimizer.js';

/** Zero-initialised companions of a list of variables (momentum buffers, Adam moments), by slot name. */
export class SlotSet {
  private readonly slots = new Map<string, Variable[]>();

  constructor(private readonly variables: readonly Variable[]) {}

  get(slot: string): Variable[] {
    let list = this.slots.get(slot);
    if (!list) {
      list = this.variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
      this.slots.set(slot, list);
    }
    return list;
  }

  async save(names: readonly string[]): Promise<Record<string, StoredTensor>> {
    const out: Record<string, StoredTensor> = {};
    for (const slot of names) {
      const list = this.get(slot);
      for (const [i, v] of list.entries()) out[`${slot}.${i}`] = await storeVariable(v);
    }
    return out;
  }

  load(names: readonly string[], tensors: Readonly<Record<string, StoredTensor>>, owner: string): void {
    for (const slot of names) {
      const list = this.get(slot);
      for (const [i, v] of list.entries()) {
        const stored = tensors[`${slot}.${i}`];
        if (!stored) throw new Error(`${owner}: the checkpoint has no '${slot}.${i}' (it was saved for ${Object.keys(tensors).length} slot tensors; the variable list changed?)`);
        if (stored.shape.join('x') !== v.shape.join('x')) {
          throw new Error(`${owner}: '${slot}.${i}' is [${stored.shape.join(', ')}] in the checkpoint but [${v.shape.join(', ')}] here`);
        }
        assignStored(v, stored);
      }
    }
  }

  dispose(): void {
    for (const list of this.slots.values()) tf.dispose(list);
    this.slots.clear();
  }
}
