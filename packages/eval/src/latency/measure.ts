import * as tf from '@tensorflow/tfjs-core';
import type { OnnxFloatTensor, OnnxSession } from '@yolo-distill/core';
import { latencyStats, type LatencyStats } from './latency-stats.js';
import { tensorsIn } from '../tensors-in.js';

/** Milliseconds from some fixed origin (`performance.now` by default; tests pass their own). */
export type Clock = () => number;

export interface MeasureOptions {
  /** Untimed runs first (JIT, kernel compilation, allocator warm-up). Default 5. */
  readonly warmup?: number;
  /** Timed runs. Default 30. */
  readonly repeats?: number;
  /** Images per run, for FPS. Default 1. */
  readonly batch?: number;
  readonly clock?: Clock;
}

const defaultClock: Clock = () => performance.now();

function counts(options: MeasureOptions): { warmup: number; repeats: number } {
  const warmup = options.warmup ?? 5;
  const repeats = options.repeats ?? 30;
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be an integer >= 1, got ${repeats}`);
  return { warmup, repeats };
}

/**
 * Times `run` (awaited): `warmup` untimed runs, then `repeats` timed ones, one after another; each
 * sample is the clock difference around one run. Returns the statistics (see `latencyStats`).
 */
export async function measure(run: () => unknown, options: MeasureOptions = {}): Promise<LatencyStats> {
  const { warmup, repeats } = counts(options);
  const clock = options.clock ?? defaultClock;
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = clock();
    await run();
    samples.push(clock() - start);
  }
  return latencyStats(samples, { batch: options.batch ?? 1, warmup });
}

/**
 * Times a tfjs computation as a caller sees it: `fn` runs inside `tf.tidy` (intermediates freed), then
 * every tensor it returns (a tensor, or arrays and objects of them such as a `ModelOutput`) is read
 * back with `await data()` (which waits for asynchronous backends) and disposed. Inputs `fn` closes
 * over are the caller's.
 */
export async function measureTfjs(fn: () => unknown, options: MeasureOptions = {}): Promise<LatencyStats> {
  return measure(async () => {
    // Clones share the outputs' data; disposing them never frees a tensor `fn` merely passed through.
    const outputs = tf.tidy(() => tensorsIn(fn()).map((t) => t.clone()));
    try {
      await Promise.all(outputs.map((t) => t.data()));
    } finally {
      for (const t of outputs) t.dispose();
    }
  }, options);
}

/** Times `session.run(feeds, outputs)` (onnxruntime returns its outputs already on the CPU). */
export async function measureOnnx(
  session: OnnxSession,
  feeds: Readonly<Record<string, OnnxFloatTensor>>,
  options: MeasureOptions & { readonly outputs?: readonly string[] } = {},
): Promise<LatencyStats> {
  const missing = session.inputNames.filter((name) => !(name in feeds));
  if (missing.length > 0) throw new Error(`${session.source}: no feed for input(s) ${missing.join(', ')} (the model's inputs are ${session.inputNames.join(', ')})`);
  return measure(() => session.run(feeds, options.outputs), options);
}
