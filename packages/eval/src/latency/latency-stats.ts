/** Latency of repeated runs, in milliseconds, and the throughput they imply; plain numbers (JSON-able). */
export interface LatencyStats {
  /** Timed runs (warm-up runs excluded). */
  readonly runs: number;
  /** Untimed runs before them. */
  readonly warmup: number;
  /** Images per run. */
  readonly batch: number;
  readonly medianMs: number;
  /** 90th percentile (numpy's default linear interpolation between order statistics). */
  readonly p90Ms: number;
  readonly meanMs: number;
  /** Population standard deviation. */
  readonly stdMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Images per second at the median latency: `1000 / medianMs * batch`; null when the median is 0 (a clock too coarse). */
  readonly fps: number | null;
  /** Every timed run, in run order. */
  readonly samplesMs: readonly number[];
}

/** `np.percentile(values, 100 * q)` with the default linear method, on already sorted values. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  if (q < 0 || q > 1) throw new RangeError(`percentile: q must be in 0..1, got ${q}`);
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return (sorted[low] as number) + (h - low) * ((sorted[high] as number) - (sorted[low] as number));
}

/** Statistics of run times in milliseconds (see `LatencyStats`). */
export function latencyStats(samplesMs: readonly number[], options: { readonly batch?: number; readonly warmup?: number } = {}): LatencyStats {
  if (samplesMs.length === 0) throw new RangeError('latencyStats needs at least one timed run');
  const bad = samplesMs.find((v) => !Number.isFinite(v) || v < 0);
  if (bad !== undefined) throw new RangeError(`latencyStats: a run time must be a finite number >= 0, got ${bad}`);
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`latencyStats: batch must be a positive integer, got ${batch}`);
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const meanMs = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  const medianMs = percentileOfSorted(sorted, 0.5);
  return {
    runs: samplesMs.length,
    warmup: options.warmup ?? 0,
    batch,
    medianMs,
    p90Ms: percentileOfSorted(sorted, 0.9),
    meanMs,
    stdMs: Math.sqrt(samplesMs.reduce((sum, v) => sum + (v - meanMs) ** 2, 0) / samplesMs.length),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    fps: medianMs > 0 ? (1000 / medianMs) * batch : null,
    samplesMs: [...samplesMs],
  };
}
