import type { Rng, RngState } from '@yolo-distill/core';

/**
 * An Rng that returns chosen values, so that a test can fix every draw: `next()` takes the next
 * scripted value (uniform and int derive from it as SeededRng's do), and `beta()` also takes the next
 * scripted value as the Beta draw itself. Running out of values is an error, so a test also checks
 * how many draws an augmentation makes.
 */
export class ScriptedRng implements Rng {
  private at = 0;

  constructor(private readonly values: readonly number[]) {}

  get used(): number {
    return this.at;
  }

  next(): number {
    if (this.at >= this.values.length) throw new Error(`ScriptedRng: all ${this.values.length} values used`);
    return this.values[this.at++] as number;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  normal(): number {
    throw new Error('ScriptedRng: normal() is not scripted');
  }

  beta(): number {
    return this.next();
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  fork(): Rng {
    throw new Error('ScriptedRng: fork() is not scripted');
  }

  state(): RngState {
    return [this.at, 0, 0, 1];
  }

  restore(state: RngState): void {
    this.at = state[0];
  }
}
