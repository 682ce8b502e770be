/** Counts of values in `bins` equal bins over `[low, high]` (values outside land in the end bins). */
export class Histogram {
  readonly counts: Float64Array;

  constructor(
    readonly low: number,
    readonly high: number,
    bins: number,
  ) {
    if (!(high >= low)) throw new Error(`Histogram: high ${high} is below low ${low}`);
    this.counts = new Float64Array(bins);
  }

  get bins(): number {
    return this.counts.length;
  }

  get width(): number {
    return (this.high - this.low) / this.counts.length;
  }

  /** The left edge of bin `i` (`edge(bins)` is `high`). */
  edge(i: number): number {
    return this.low + i * this.width;
  }

  /** Adds every value, or its magnitude with `abs`. */
  add(values: Float32Array, abs = false): void {
    const n = this.counts.length;
    const width = this.width;
    if (width === 0) {
      this.counts[0] = (this.counts[0] as number) + values.length;
      return;
    }
    for (let i = 0; i < values.length; i++) {
      const v = abs ? Math.abs(values[i] as number) : (values[i] as number);
      const bin = Math.min(n - 1, Math.max(0, Math.floor((v - this.low) / width)));
      this.counts[bin] = (this.counts[bin] as number) + 1;
    }
  }

  total(): number {
    let sum = 0;
    for (const c of this.counts) sum += c;
    return sum;
  }
}
