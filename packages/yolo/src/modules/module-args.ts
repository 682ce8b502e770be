import type { ConfigError, ConfigLocation } from '@yolo-distill/core';

/**
 * The `args` of one model-YAML row, after `nc`/`anchors`/`None`/`True`/`False` were resolved, with
 * typed readers whose errors point at the argument (`file:line:col: head[3][3][1]: ...`) and name the
 * module's signature.
 */
export class ModuleArgs {
  constructor(
    readonly module: string,
    readonly signature: string,
    readonly values: readonly unknown[],
    private readonly at: ConfigLocation,
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** An error at argument `index` (or at the whole args list). */
  error(index: number | undefined, message: string): ConfigError {
    const place = index === undefined || index >= this.values.length ? this.at : this.at.child(index);
    return place.error(`${this.module}: ${message}; ${this.module} args are ${this.signature}`);
  }

  /** Fails when more than `count` args are given. */
  atMost(count: number): void {
    if (this.values.length > count) throw this.error(count, `takes at most ${count} argument(s), found ${this.values.length}`);
  }

  /** Fails when fewer than `count` args are given. */
  atLeast(count: number): void {
    if (this.values.length < count) throw this.error(undefined, `needs at least ${count} argument(s), found ${this.values.length}`);
  }

  has(index: number): boolean {
    return index < this.values.length && this.values[index] !== null;
  }

  raw(index: number): unknown {
    return this.values[index];
  }

  int(index: number, name: string, options: { default?: number; min?: number } = {}): number {
    const value = this.values[index];
    if ((value === undefined || value === null) && options.default !== undefined) return options.default;
    if (value === undefined) throw this.error(undefined, `missing argument ${index} (${name})`);
    const min = options.min ?? 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw this.error(index, `argument ${index} (${name}) must be an integer >= ${min}, found ${show(value)}`);
    }
    return value;
  }

  /** The groups argument `g` at `index`: only 1 (no grouped convolution) is supported. */
  ungrouped(index: number): void {
    const g = this.int(index, 'g', { default: 1 });
    if (g !== 1) throw this.error(index, `grouped convolution (g=${g}) is not supported; use g=1`);
  }

  /** An integer or `None` (undefined). */
  optionalInt(index: number, name: string, min = 0): number | undefined {
    const value = this.values[index];
    if (value === undefined || value === null) return undefined;
    return this.int(index, name, { min });
  }

  number(index: number, name: string, options: { default?: number; min?: number; exclusiveMin?: boolean } = {}): number {
    const value = this.values[index];
    if ((value === undefined || value === null) && options.default !== undefined) return options.default;
    const min = options.min ?? 0;
    const below = typeof value === 'number' && (options.exclusiveMin ? value <= min : value < min);
    if (typeof value !== 'number' || !Number.isFinite(value) || below) {
      throw this.error(index, `argument ${index} (${name}) must be a number ${options.exclusiveMin ? '>' : '>='} ${min}, found ${show(value)}`);
    }
    return value;
  }

  bool(index: number, name: string, fallback: boolean): boolean {
    const value = this.values[index];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw this.error(index, `argument ${index} (${name}) must be True or False, found ${show(value)}`);
    return value;
  }

  /** A string among `allowed`. */
  choice<T extends string>(index: number, name: string, allowed: readonly T[], fallback: T): T {
    const value = this.values[index];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw this.error(index, `argument ${index} (${name}) must be ${allowed.map((item) => `'${item}'`).join(' or ')}, found ${show(value)}`);
    }
    return value as T;
  }

  /** Must be None (or absent). */
  none(index: number, name: string): void {
    const value = this.values[index];
    if (value !== undefined && value !== null) throw this.error(index, `argument ${index} (${name}) must be None, found ${show(value)}`);
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return JSON.stringify(value);
}
