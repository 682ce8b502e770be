import * as tf from '@tensorflow/tfjs-core';

/** Every tensor in a result: a tensor, or arrays and plain objects of them (a `ModelOutput`, say). */
export function tensorsIn(value: unknown, into: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) into.push(value);
  else if (Array.isArray(value)) for (const item of value) tensorsIn(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) tensorsIn(item, into);
  return into;
}
