import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensor, Tensor, Variable } from '@yolo-distill/core';
import { clipScale } from './clip-gradients.js';
import { FlatLayout } from './flat-layout.js';
import { FlatSlots } from './flat-slots.js';
import { decays, type Optimizer } from './optimizer.js';
import { readValues, writeValues } from './tensor-values.js';

/** One variable's share of an update: what a rule reads and where it writes. */
export interface FlatUpdate {
  /** The variable's current values (read only). */
  readonly w: Float32Array;
  /** Its gradient, not yet clipped (read only); multiply by `scale`. */
  readonly g: Float32Array;
  /** Where the variable starts in the slots and in `out`. */
  readonly offset: number;
  /** The clip factor of this step (1: none). */
  readonly scale: number;
  readonly learningRate: number;
  /** Whether weight decay applies (conv kernels). */
  readonly decay: boolean;
  /** The new values go to `out[offset + j]`. */
  readonly out: Float32Array;
}

/**
 * An optimiser as JS loops over one flat layout of its variables, with no kernel calls: each gradient is
 * read once (on wasm straight from the heap), the global norm for clipping is summed while reading,
 * the rule moves its slots and writes new values into one buffer, and each variable then gets its new
 * values as one fresh tensor. Subclasses supply the rule; checkpoints keep `SlotSet`'s format.
 */
export abstract class FlatOptimizer implements Optimizer {
  abstract readonly kind: string;
  protected readonly slots: FlatSlots;
  private readonly layout: FlatLayout;
  private readonly next: Float32Array;
  private readonly decayed: readonly boolean[];

  constructor(
    private readonly variables: readonly Variable[],
    slotNames: readonly string[],
  ) {
    this.layout = new FlatLayout(variables.map((v) => v.shape));
    this.slots = new FlatSlots(this.layout, slotNames);
    this.next = new Float32Array(this.layout.length);
    this.decayed = variables.map((v) => decays(v));
  }

  /** Called once per step before any variable's update (Adam counts its steps here). */
  protected abstract beginStep(): void;

  /** The rule for one variable: read `w` and `g`, move the slots at `offset`, write `out`. */
  protected abstract update(u: FlatUpdate): void;

  apply(grads: readonly (Tensor | undefined)[], learningRate: number, clipNorm = 0): number {
    if (grads.length !== this.variables.length) throw new Error(`${this.kind}: ${grads.length} gradients for ${this.variables.length} variables`);
    // Heap views stay valid while no tfjs call allocates: read and compute everything before writing.
    const values = grads.map((g, i) => (g === undefined ? undefined : this.gradientValues(g, i)));
    let sum = 0;
    for (const g of values) if (g) sum += sumOfSquares(g);
    const norm = Math.sqrt(sum);
    const scale = clipScale(norm, clipNorm);
    this.beginStep();
    values.forEach((g, i) => {
      if (!g) return;
      const w = readValues(this.variables[i] as Variable);
      this.update({ w, g, offset: this.layout.segment(i).offset, scale, learningRate, decay: this.decayed[i] as boolean, out: this.next });
    });
    tf.tidy(() => {
      values.forEach((g, i) => {
        if (g) writeValues(this.variables[i] as Variable, this.layout.view(this.next, i));
      });
    });
    return norm;
  }

  private gradientValues(g: Tensor, i: number): Float32Array {
    const values = readValues(g);
    const expected = this.layout.segment(i).size;
    if (values.length !== expected) throw new Error(`${this.kind}: the gradient of variable ${i} has ${values.length} values, the variable ${expected}`);
    return values;
  }

  saveState(): Promise<Record<string, StoredTensor>> {
    return Promise.resolve(this.slots.save());
  }

  loadState(tensors: Readonly<Record<string, StoredTensor>>): void {
    this.slots.load(tensors, this.kind);
  }

  dispose(): void {}
}

/** Sum of squares in double precision, four running sums (independent adds pipeline better). */
function sumOfSquares(values: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = values.length;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = values[j] as number;
    const b = values[j + 1] as number;
    const c = values[j + 2] as number;
    const d = values[j + 3] as number;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; j < n; j++) s0 += (values[j] as number) * (values[j] as number);
  return s0 + s1 + s2 + s3;
}
