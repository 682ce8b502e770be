import type { StepInfo } from '@yolo-distill/core';

/** A value that depends on where training is (epochs are 0-based). */
export type Schedule = (at: StepInfo) => number;

export interface StepDecayOptions {
  readonly start: number;
  readonly end: number;
  /** Epochs between two steps. */
  readonly every: number;
  /** Amount moved towards `end` at each step (positive). */
  readonly by: number;
}

/**
 * Step decay (or growth) from `start` towards `end`, moving `by` every `every` epochs and never
 * passing `end`: stepDecay({start: 5, end: 1, every: 10, by: 1}) gives 5 for epochs 0-9, 4 for
 * 10-19, ..., 1 from epoch 40 on. Used for the distillation temperature.
 */
export function stepDecay(options: StepDecayOptions): Schedule {
  const { start, end, every, by } = options;
  if (!(every > 0) || !(by >= 0)) throw new Error(`stepDecay needs every > 0 and by >= 0, got every ${every}, by ${by}`);
  return ({ epoch }) => {
    const moved = by * Math.floor(epoch / every);
    return start >= end ? Math.max(end, start - moved) : Math.min(end, start + moved);
  };
}

export interface LinearWarmupOptions {
  /** Epochs until the full value is reached. */
  readonly epochs: number;
  readonly from?: number;
  readonly to?: number;
}

/**
 * Linear loss-weight ramp: from + (to - from) * min(1, (epoch + 1) / epochs). Epoch 0 already gets
 * 1/epochs of the way (a loss is never fully off), epoch epochs-1 and later get `to`. Defaults 0 -> 1.
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const { epochs, from = 0, to = 1 } = options;
  if (!(epochs > 0)) return () => to;
  return ({ epoch }) => from + (to - from) * Math.min(1, (epoch + 1) / epochs);
}

export interface ProgressiveTapsOptions {
  /** Tap names ordered shallow -> deep, e.g. ['neck.0', 'neck.1', 'neck.2']. */
  readonly taps: readonly string[];
  /** Epochs per activation step: the first `every` epochs only the deepest tap is active. */
  readonly every: number;
}

/**
 * Progressive feature activation, deepest first: during epochs [0, every) only the deepest tap is
 * active, during [every, 2 every) the two deepest, and so on until all are. Returns whether `tap` is
 * active at `at`; a tap not in the list is an error.
 */
export function progressiveTaps(options: ProgressiveTapsOptions): (tap: string, at: StepInfo) => boolean {
  const { taps, every } = options;
  if (!(every > 0)) throw new Error(`progressiveTaps needs every > 0, got ${every}`);
  return (tap, { epoch }) => {
    const index = taps.indexOf(tap);
    if (index < 0) throw new Error(`progressiveTaps: unknown tap '${tap}', known: ${taps.join(', ')}`);
    const depthFromDeepest = taps.length - 1 - index;
    return depthFromDeepest < 1 + Math.floor(epoch / every);
  };
}
