import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors, StoredTensor, Tensor } from '@yolo-distill/core';
import { storeVariable } from '../optim/optimizer.js';

export type StoredWeights = Record<string, StoredTensor>;

export async function storedWeights(weights: NamedTensors): Promise<StoredWeights> {
  const out: StoredWeights = {};
  for (const [name, t] of Object.entries(weights)) out[name] = await storeVariable(t);
  return out;
}

/** New tensors (the caller disposes them). */
export function weightsFromStored(stored: Readonly<StoredWeights>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(stored).map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], t.dtype)]));
}

export function prefixed(prefix: string, tensors: Readonly<Record<string, StoredTensor>>): Record<string, StoredTensor> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [`${prefix}${name}`, t]));
}

export function unprefixed(prefix: string, tensors: Readonly<Record<string, StoredTensor>>): Record<string, StoredTensor> {
  return Object.fromEntries(Object.entries(tensors).flatMap(([name, t]) => (name.startsWith(prefix) ? [[name.slice(prefix.length), t]] : [])));
}
