/** Student's t quantile (two-sided 95%) for 1..30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface MeanCi {
  readonly mean: number;
  /** Half-width of the 95% t interval (NaN for one value). */
  readonly ci95: number;
  readonly n: number;
}

export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  if (n < 2) return { mean, ci95: Number.NaN, n };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, ci95: ((T95[n - 2] ?? 1.96) * sd) / Math.sqrt(n), n };
}

/** Paired differences `variant - baseline` over the seeds both have. */
export function pairedGains(variant: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>): number[] {
  return [...variant.entries()].flatMap(([seed, value]) => (baseline.has(seed) ? [value - (baseline.get(seed) as number)] : []));
}
