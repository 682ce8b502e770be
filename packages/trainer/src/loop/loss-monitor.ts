/** Where in training a value was seen, for messages. */
export interface StepPlace {
  readonly stage: string;
  readonly epoch: number;
  readonly step: number;
}

/**
 * Stops a run whose loss went wrong, naming the term: any logged term that is NaN or infinite; a total
 * that grew `explosion` times above its value once `warmup` steps were seen (a diverging run, e.g. a
 * learning rate orders of magnitude too high), naming the term that grew most; or one component of the
 * total that is more than `dominance` times all the others together (smoothed over steps, checked once
 * `warmup` steps were seen, and only while at least two components are non-zero).
 */
export class LossMonitor {
  private readonly smoothed = new Map<string, number>();
  private baseline: Map<string, number> | undefined;
  private seen = 0;

  constructor(
    private readonly dominance: number,
    private readonly warmup = 5,
    private readonly explosion = 1000,
  ) {}

  check(components: Readonly<Record<string, number>>, details: Readonly<Record<string, number>>, place: StepPlace): void {
    for (const [name, value] of Object.entries({ ...components, ...details })) {
      if (!Number.isFinite(value)) {
        throw new Error(
          `${place.stage}: loss term '${name}' is ${value} at epoch ${place.epoch + 1}, step ${place.step + 1}; stopping (lower its weight or the learning rate, check the data)`,
        );
      }
    }
    this.seen += 1;
    for (const [name, value] of Object.entries(components)) {
      const previous = this.smoothed.get(name);
      this.smoothed.set(name, previous === undefined ? Math.abs(value) : 0.9 * previous + 0.1 * Math.abs(value));
    }
    if (this.seen < this.warmup) return;
    this.checkGrowth(place);
    if (this.dominance <= 0) return;
    const active = [...this.smoothed].filter(([, value]) => value > 0);
    if (active.length < 2) return;
    const sum = active.reduce((total, [, value]) => total + value, 0);
    for (const [name, value] of active) {
      const others = sum - value;
      if (value > this.dominance * others) {
        const list = active.map(([n, v]) => `${n} ${v.toPrecision(3)}`).join(', ');
        throw new Error(
          `${place.stage}: loss term '${name}' dominates the total by ${(value / others).toFixed(0)}x (limit ${this.dominance}x) at epoch ${place.epoch + 1}, step ${place.step + 1} (smoothed: ${list}); lower its weight, or set guards.dominance: 0 to allow it`,
        );
      }
    }
  }

  private checkGrowth(place: StepPlace): void {
    if (this.explosion <= 0) return;
    const total = (values: ReadonlyMap<string, number>) => [...values.values()].reduce((sum, value) => sum + value, 0);
    if (!this.baseline) {
      this.baseline = new Map(this.smoothed);
      return;
    }
    const start = total(this.baseline);
    const now = total(this.smoothed);
    if (start <= 0 || now <= this.explosion * start) return;
    const growth = [...this.smoothed].map(([name, value]) => ({ name, value, from: this.baseline?.get(name) ?? 0 }));
    const worst = growth.reduce((a, b) => (b.value - b.from > a.value - a.from ? b : a));
    throw new Error(
      `${place.stage}: the loss exploded: the total grew from ${start.toPrecision(3)} to ${now.toPrecision(3)} (more than ${this.explosion}x, smoothed) by epoch ${place.epoch + 1}, step ${place.step + 1}; ` +
        `term '${worst.name}' grew most (${worst.from.toPrecision(3)} -> ${worst.value.toPrecision(3)}); lower the learning rate or that term's weight`,
    );
  }
}
