import * as tf from '@tensorflow/tfjs-core';
import type { Scalar, Variable } from '@yolo-distill/core';

/** One scalar's value and its gradient over `variables`, flattened in their order (zeros where it has none). */
export interface FlatGradient {
  readonly value: number;
  readonly gradient: Float32Array;
}

/** Differentiates `fn` alone w.r.t. `variables`; nothing is kept or applied. */
export async function flatGradient(fn: () => Scalar, variables: readonly Variable[]): Promise<FlatGradient> {
  const sizes = variables.map((v) => v.size);
  const gradient = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  const { value, grads } = tf.variableGrads(fn, variables as Variable[]);
  try {
    let offset = 0;
    for (const [i, v] of variables.entries()) {
      const g = grads[v.name];
      if (g) gradient.set(await g.data(), offset);
      offset += sizes[i] as number;
    }
    return { value: (await value.data())[0] as number, gradient };
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}

export function l2Norm(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  return Math.sqrt(sum);
}

/** cos(a, b); 0 when either is zero. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  const norms = l2Norm(a) * l2Norm(b);
  return norms > 0 ? dot / norms : 0;
}
