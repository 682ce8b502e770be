import type { TensorRange } from '../quant/quant-params.js';
import type { Histogram } from './histogram.js';

/** The calibration methods: onnxruntime's MinMax / Percentile / Entropy, TensorRT's EntropyCalibration2. */
export const CALIBRATION_METHODS = ['minmax', 'percentile', 'entropy'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/**
 * The smallest `x` with at least `percentile`% of a magnitude histogram at or below it: the upper edge
 * of the first bin where the cumulative share reaches it (an upper edge, so the share is guaranteed).
 */
export function percentileAmax(abs: Histogram, percentile: number): number {
  return abs.edge(firstBinReaching(abs, percentile / 100) + 1);
}

/**
 * A signed range that cuts `(100 - percentile) / 2`% from each tail of a histogram over `[min, max]`
 * (onnxruntime's asymmetric percentile): the lower edge of the first bin reaching the lower share, the
 * upper edge of the first bin reaching the upper one.
 */
export function percentileRange(signed: Histogram, percentile: number): TensorRange {
  const cut = (100 - percentile) / 200;
  return { min: signed.edge(firstBinReaching(signed, cut)), max: signed.edge(firstBinReaching(signed, 1 - cut) + 1) };
}

function firstBinReaching(histogram: Histogram, share: number): number {
  const total = histogram.total();
  if (total === 0) return 0;
  let cumulative = 0;
  for (let i = 0; i < histogram.bins; i++) {
    cumulative += histogram.counts[i] as number;
    // The small tolerance keeps a share reached exactly (up to rounding) in its bin.
    if (cumulative / total >= share - 1e-12) return i;
  }
  return histogram.bins - 1;
}

/**
 * TensorRT's entropy calibration (EntropyCalibration2; NVIDIA pytorch-quantization's
 * `_compute_amax_entropy`) on a histogram of magnitudes: for each candidate cut `i` (from `levels`
 * bins to the last), the reference P is bins `0..i-1` with everything above folded into bin `i-1`; the
 * candidate Q merges bins `0..i-1` into `levels` equal groups and spreads each group's count evenly
 * over its non-empty bins. The threshold is the edge `i` of the cut with the least KL(P || Q) (the
 * largest such `i` on ties). `levels` is 128 for int8 (the magnitude side of -127..127).
 */
export function entropyAmax(abs: Histogram, levels = 128): number {
  const bins = abs.counts;
  const n = bins.length;
  if (n <= levels) return abs.high;
  let best = Infinity;
  let bestCut = n;
  for (let i = levels; i < n; i++) {
    const divergence = cutDivergence(bins, i, levels);
    if (divergence <= best) {
      best = divergence;
      bestCut = i;
    }
  }
  return best === Infinity ? abs.high : abs.edge(bestCut);
}

function cutDivergence(bins: Float64Array, cut: number, levels: number): number {
  let outliers = 0;
  for (let k = cut; k < bins.length; k++) outliers += bins[k] as number;
  // Group of bin k: floor(k * levels / cut) (np.digitize over linspace(0, cut, levels + 1)).
  const groupSum = new Float64Array(levels);
  const groupNonEmpty = new Float64Array(levels);
  for (let k = 0; k < cut; k++) {
    const count = bins[k] as number;
    if (count === 0) continue;
    const g = Math.floor((k * levels) / cut);
    groupSum[g] = (groupSum[g] as number) + count;
    groupNonEmpty[g] = (groupNonEmpty[g] as number) + 1;
  }
  let pTotal = outliers;
  let qTotal = 0;
  for (let k = 0; k < cut; k++) pTotal += bins[k] as number;
  for (let g = 0; g < levels; g++) qTotal += groupSum[g] as number;
  if (pTotal === 0 || qTotal === 0) return Infinity;
  let divergence = 0;
  for (let k = 0; k < cut; k++) {
    const p = ((bins[k] as number) + (k === cut - 1 ? outliers : 0)) / pTotal;
    if (p === 0) continue;
    const g = Math.floor((k * levels) / cut);
    const q = (bins[k] as number) === 0 ? 0 : (groupSum[g] as number) / (groupNonEmpty[g] as number) / qTotal;
    if (q === 0) return Infinity;
    divergence += p * Math.log(p / q);
  }
  return divergence;
}
