import type { NamedTensors, Rng } from '@yolo-distill/core';
import type { ChannelGraph, ChannelUnit } from '../graph/channel-graph.js';

/**
 * How a unit's importance is scored. `l1`/`l2`: filter magnitude (sum of |w| or w² over the producers'
 * output filters and the consumers' input slices, averaged over the group's members: Torch-Pruning's
 * group reduction); `bn-gamma`: |gamma| of the producers' BatchNorms (network slimming); `taylor`:
 * |sum of w x dL/dw| over the same slices (first-order Taylor, gradients summed over a few batches);
 * `random`: a control.
 */
export type ImportanceCriterion = 'l1' | 'l2' | 'bn-gamma' | 'taylor' | 'random';

export const IMPORTANCE_CRITERIA: readonly ImportanceCriterion[] = ['l1', 'l2', 'bn-gamma', 'taylor', 'random'];

export interface ImportanceInputs {
  readonly weights: NamedTensors;
  /** Loss gradients by weight name (taylor only). */
  readonly gradients?: NamedTensors;
  readonly rng: Rng;
}

/** A kernel `[kh, kw, cin, cout]` as flat values, read once. */
class Kernel {
  constructor(
    readonly values: Float32Array,
    readonly shape: readonly number[],
  ) {}
  /** Σ f(w) (or Σ f(w, g)) over output channel `o`. */
  outSlice(o: number, f: (i: number) => number): number {
    const cout = this.shape[3] as number;
    let sum = 0;
    for (let i = o; i < this.values.length; i += cout) sum += f(i);
    return sum;
  }
  /** Σ over input channel `c`. */
  inSlice(c: number, f: (i: number) => number): number {
    const cin = this.shape[2] as number;
    const cout = this.shape[3] as number;
    let sum = 0;
    for (let base = c * cout; base < this.values.length; base += cin * cout) for (let o = 0; o < cout; o++) sum += f(base + o);
    return sum;
  }
}

/** Importance of every unit (indexed by unit id), normalised by its group's mean so that groups compare in a global ranking. */
export function unitImportance(channels: ChannelGraph, criterion: ImportanceCriterion, inputs: ImportanceInputs): Float64Array {
  const count = channels.groups.reduce((n, g) => n + g.units.length, 0);
  const scores = new Float64Array(count);
  const cache = new Map<string, Float32Array>();
  const values = (source: NamedTensors, name: string): Float32Array => {
    const key = `${source === inputs.gradients ? 'g' : 'w'}:${name}`;
    let data = cache.get(key);
    if (!data) {
      const tensor = source[name];
      if (!tensor) throw new Error(`prune: ${criterion} importance needs '${name}', which is missing`);
      data = tensor.dataSync() as Float32Array;
      cache.set(key, data);
    }
    return data;
  };
  const kernel = (name: string, source = inputs.weights) => new Kernel(values(source, name), source[name]?.shape ?? []);
  const score = (unit: ChannelUnit): number => {
    if (criterion === 'random') return inputs.rng.next();
    if (criterion === 'bn-gamma') {
      const gammas = unit.producers.flatMap((p) => (p.conv.batchNorm ? [Math.abs(values(inputs.weights, p.conv.batchNorm.gamma)[p.channel] as number)] : []));
      return gammas.length === 0 ? 0 : gammas.reduce((a, b) => a + b, 0) / gammas.length;
    }
    if (criterion === 'taylor') {
      const grads = inputs.gradients;
      if (!grads) throw new Error('prune: taylor importance needs gradients');
      let sum = 0;
      for (const { conv, channel } of unit.producers) {
        const w = kernel(conv.weight);
        const g = values(grads, conv.weight);
        sum += Math.abs(w.outSlice(channel, (i) => (w.values[i] as number) * (g[i] as number)));
        if (conv.batchNorm) {
          for (const name of [conv.batchNorm.gamma, conv.batchNorm.beta]) sum += Math.abs((values(inputs.weights, name)[channel] as number) * (values(grads, name)[channel] as number));
        }
      }
      for (const { conv, position } of unit.consumers) {
        const w = kernel(conv.weight);
        const g = values(grads, conv.weight);
        sum += Math.abs(w.inSlice(position, (i) => (w.values[i] as number) * (g[i] as number)));
      }
      return sum;
    }
    const f = criterion === 'l1' ? (x: number) => Math.abs(x) : (x: number) => x * x;
    let sum = 0;
    for (const { conv, channel } of unit.producers) {
      const w = kernel(conv.weight);
      sum += w.outSlice(channel, (i) => f(w.values[i] as number));
    }
    for (const { conv, position } of unit.consumers) {
      const w = kernel(conv.weight);
      sum += w.inSlice(position, (i) => f(w.values[i] as number));
    }
    return sum / Math.max(1, unit.producers.length + unit.consumers.length);
  };
  for (const group of channels.groups) {
    if (group.fixed) continue;
    const raw = group.units.map(score);
    const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, raw.length);
    group.units.forEach((unit, i) => (scores[unit.id] = mean > 0 ? (raw[i] as number) / mean : (raw[i] as number)));
  }
  return scores;
}
