import type { TensorRange } from '../quant/quant-params.js';
import { entropyAmax, percentileAmax, percentileRange, type CalibrationMethod } from './calibrators.js';
import { Histogram } from './histogram.js';

export interface RangeOptions {
  readonly method: CalibrationMethod;
  /** Percentile of `percentile` (99.99 by default). */
  readonly percentile: number;
  /** Symmetric ranges `[-amax, amax]` (TensorRT's int8 activations) instead of `[min, max]`. */
  readonly symmetric: boolean;
  /** Histogram bins (2048, as TensorRT and onnxruntime). */
  readonly bins: number;
}

export const DEFAULT_RANGE_OPTIONS: RangeOptions = { method: 'minmax', percentile: 99.99, symmetric: false, bins: 2048 };

/**
 * One tensor's statistics over the calibration images, in two passes: `observe` (min, max), then,
 * for the histogram methods, `histogram` (signed values over [min, max], magnitudes over [0, amax]).
 */
export class TensorStatistics {
  min = Infinity;
  max = -Infinity;
  private signed: Histogram | undefined;
  private magnitude: Histogram | undefined;

  constructor(private readonly options: RangeOptions) {}

  get needsHistogram(): boolean {
    return this.options.method !== 'minmax';
  }

  observe(values: Float32Array): void {
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.min = min;
    this.max = max;
  }

  histogram(values: Float32Array): void {
    if (!Number.isFinite(this.min)) throw new Error('TensorStatistics: histogram() before observe()');
    const amax = Math.max(Math.abs(this.min), Math.abs(this.max));
    const asymmetricPercentile = this.options.method === 'percentile' && !this.options.symmetric;
    if (asymmetricPercentile) (this.signed ??= new Histogram(this.min, this.max, this.options.bins)).add(values);
    else (this.magnitude ??= new Histogram(0, amax, this.options.bins)).add(values, true);
  }

  /** The calibrated range: always contains 0, never wider than what was seen. */
  range(): TensorRange {
    if (!Number.isFinite(this.min)) throw new Error('TensorStatistics: no values observed');
    const { min, max } = this;
    const amax = Math.max(Math.abs(min), Math.abs(max));
    const { method, symmetric } = this.options;
    if (method === 'minmax') return symmetric ? { min: -amax, max: amax } : { min, max };
    if (method === 'percentile' && !symmetric) {
      const r = percentileRange(this.require(this.signed), this.options.percentile);
      return { min: Math.max(min, r.min), max: Math.min(max, r.max) };
    }
    const hist = this.require(this.magnitude);
    const t = method === 'percentile' ? percentileAmax(hist, this.options.percentile) : entropyAmax(hist);
    // A magnitude threshold: symmetric as it is; asymmetric clipped to the side the values reach (post-SiLU maps end at -0.28).
    return symmetric ? { min: -t, max: t } : { min: Math.max(min, -t), max: Math.min(max, t) };
  }

  private require(h: Histogram | undefined): Histogram {
    if (!h) throw new Error('TensorStatistics: range() of a histogram method before histogram()');
    return h;
  }
}
