import type { StepInfo } from '@yolo-distill/core';
import { z } from 'zod';

/**
 * The keys every distillation term shares for its weight: a fixed `weight` or `{ relative: r }`
 * (the trainer calibrates it so the term's gradient is r times the native loss's), a decay over the
 * stage and `until`, the fraction of the stage's epochs after which the term is off.
 */
export const termWeightKeys = {
  weight: z.union([z.number().nonnegative(), z.strictObject({ relative: z.number().positive() })], { error: 'expected a number >= 0 or { relative: r } with r > 0' }).default(1),
  /** `cosine`: 1 at the stage's first epoch down to `to` at its end (DAMO-YOLO's distillation decay). */
  decay: z
    .union([z.literal('none'), z.strictObject({ type: z.literal('cosine'), to: z.number().min(0).max(1).default(0.1) })])
    .default('none'),
  /** The term is off from epoch floor(until * epochs) on (MMYOLO's RTMDet recipe switches off the last 10%). */
  until: z.number().gt(0).max(1).default(1),
} as const;

export interface TermWeightConfig {
  readonly weight: number | { readonly relative: number };
  readonly decay: 'none' | { readonly type: 'cosine'; readonly to: number };
  readonly until: number;
}

/** The weight before calibration: the number, or 1 for a relative weight (the trainer scales it). */
export function baseWeight(config: TermWeightConfig): number {
  return typeof config.weight === 'number' ? config.weight : 1;
}

/** `r` of `weight: { relative: r }`, else undefined. */
export function relativeWeight(config: TermWeightConfig): number | undefined {
  return typeof config.weight === 'number' ? undefined : config.weight.relative;
}

/** The decay and `until` factor at `step` (1 while calibrating). */
export function scheduleFactor(config: TermWeightConfig, step: StepInfo): number {
  if (step.calibrating) return 1;
  const epochs = Math.max(1, step.epochs);
  if (config.until < 1 && step.epoch >= Math.max(1, Math.floor(config.until * epochs))) return 0;
  if (config.decay === 'none') return 1;
  const progress = Math.min(1, step.epoch / epochs);
  return config.decay.to + (1 - config.decay.to) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** base weight x decay x until: the factor a term's raw value is multiplied by (before calibration). */
export function termScale(config: TermWeightConfig, step: StepInfo): number {
  return baseWeight(config) * scheduleFactor(config, step);
}
