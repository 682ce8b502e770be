import type { StoredTensor } from '@yolo-distill/core';
import type { FlatLayout } from './flat-layout.js';

/**
 * Zero-initialised optimiser slots (momentum buffers, Adam moments) in one Float32Array: slot `k` of
 * the names given occupies `[k * n, (k + 1) * n)`, laid out like the variables (`n` values in all).
 * Checkpoints hold one tensor per slot and variable, `${slot}.${i}` with the variable's shape, as
 * `SlotSet` writes them, so either implementation reads the other's.
 */
export class FlatSlots {
  private readonly buffer: Float32Array;

  constructor(
    private readonly layout: FlatLayout,
    private readonly names: readonly string[],
  ) {
    this.buffer = new Float32Array(layout.length * names.length);
  }

  /** The whole slot, laid out like the variables (a view: writes go to the slot). */
  get(slot: string): Float32Array {
    const k = this.names.indexOf(slot);
    if (k < 0) throw new Error(`FlatSlots: no slot '${slot}' (slots: ${this.names.join(', ') || 'none'})`);
    return this.buffer.subarray(k * this.layout.length, (k + 1) * this.layout.length);
  }

  save(): Record<string, StoredTensor> {
    const out: Record<string, StoredTensor> = {};
    for (const slot of this.names) {
      const values = this.get(slot);
      this.layout.segments.forEach((s, i) => {
        out[`${slot}.${i}`] = { shape: [...s.shape], dtype: 'float32', data: values.slice(s.offset, s.offset + s.size) };
      });
    }
    return out;
  }

  /** Checks every slot tensor before taking any, so a mismatched checkpoint leaves the slots as they were. */
  load(tensors: Readonly<Record<string, StoredTensor>>, owner: string): void {
    const found: [Float32Array, number, StoredTensor][] = [];
    for (const slot of this.names) {
      const values = this.get(slot);
      this.layout.segments.forEach((s, i) => {
        const stored = tensors[`${slot}.${i}`];
        if (!stored) throw new Error(`${owner}: the checkpoint has no '${slot}.${i}' (it was saved for ${Object.keys(tensors).length} slot tensors; the variable list changed?)`);
        if (stored.shape.join('x') !== s.shape.join('x')) {
          throw new Error(`${owner}: '${slot}.${i}' is [${stored.shape.join(', ')}] in the checkpoint but [${s.shape.join(', ')}] here`);
        }
        found.push([values, s.offset, stored]);
      });
    }
    for (const [values, offset, stored] of found) values.set(stored.data, offset);
  }
}
