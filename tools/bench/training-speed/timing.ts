import * as tf from '@tensorflow/tfjs-core';

export interface Timing {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly repeats: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Times `run` (which returns a tensor to wait on) after warm-up; every tensor made is released.
 * `prepare` runs untimed before each repeat (fresh weights, as after an optimiser step).
 */
export async function timeKernel(run: () => tf.Tensor, repeats: number, warmup = 2, prepare?: () => void): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    prepare?.();
    const started = performance.now();
    const result = tf.tidy(run);
    await result.data();
    const elapsed = performance.now() - started;
    result.dispose();
    if (i >= warmup) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: round(quantile(samples, 0.5)), p90Ms: round(quantile(samples, 0.9)), repeats };
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
