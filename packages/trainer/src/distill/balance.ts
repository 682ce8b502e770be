import type { DistillLoss } from '@yolo-distill/core';
import type { BatchMeasurement } from './term-probe.js';

/** How one relative weight was set: the measured mean gradient norms and the factor that gives the asked ratio. */
export interface TermBalance {
  readonly term: string;
  readonly relative: number;
  readonly nativeGradNorm: number;
  /** Mean gradient norm of the term at its base weight. */
  readonly termGradNorm: number;
  readonly factor: number;
}

export interface Calibration {
  /** One factor per loss, 1 for fixed weights. */
  readonly factors: number[];
  readonly balances: TermBalance[];
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

/**
 * `weight: { relative: r }` as factors: r * mean |g_native| / mean |g_term| over the measured batches,
 * so that the term's mean gradient norm is r times the native loss's. A term with no gradient keeps 1.
 */
export function calibrateFactors(names: readonly string[], losses: readonly DistillLoss[], measured: readonly BatchMeasurement[]): Calibration {
  const nativeGradNorm = mean(measured.map((m) => m.native.gradNorm));
  const balances: TermBalance[] = [];
  const factors = losses.map((loss, i) => {
    const relative = loss.relativeWeight;
    if (relative === undefined) return 1;
    const termGradNorm = mean(measured.map((m) => m.terms[i]?.gradNorm ?? 0));
    const factor = termGradNorm > 0 ? (relative * nativeGradNorm) / termGradNorm : 1;
    balances.push({ term: names[i] as string, relative, nativeGradNorm, termGradNorm, factor });
    return factor;
  });
  return { factors, balances };
}
