import type { TensorRange } from '../quant/quant-params.js';

/**
 * PyTorch's MovingAverageMinMaxObserver: the first batch sets the range, each later one moves it by
 * `averaging` towards the batch's min and max.
 */
export class RangeObserver {
  private current: TensorRange | undefined;

  constructor(private readonly averaging: number) {}

  get range(): TensorRange | undefined {
    return this.current;
  }

  observe(batch: TensorRange): void {
    const c = this.current;
    const a = this.averaging;
    this.current = c ? { min: c.min + a * (batch.min - c.min), max: c.max + a * (batch.max - c.max) } : batch;
  }

  restore(range: TensorRange): void {
    this.current = range;
  }
}
