/** How the learning rate moves after warm-up, as a factor of the base rate. */
export type LrDecay = 'cosine' | 'linear' | 'constant';

export interface LrScheduleOptions {
  readonly lr: number;
  /** The factor reached at the last step (Ultralytics' `lrf`). */
  readonly finalFactor: number;
  readonly decay: LrDecay;
  readonly totalSteps: number;
  /** Steps of linear warm-up from ~0 to the scheduled rate (0: none). */
  readonly warmupSteps: number;
}

/**
 * The learning rate of a step (0-based): Ultralytics' one-cycle cosine `((1 - cos(pi t)) / 2) (lrf - 1) + 1`
 * or linear `(1 - t) (1 - lrf) + lrf`, evaluated per step (t = step / (total - 1)), multiplied by a
 * linear warm-up `(step + 1) / warmupSteps` during the first steps.
 */
export function learningRateAt(step: number, options: LrScheduleOptions): number {
  const { lr, finalFactor, decay, totalSteps, warmupSteps } = options;
  const t = totalSteps > 1 ? Math.min(1, Math.max(0, step / (totalSteps - 1))) : 0;
  const factor =
    decay === 'cosine' ? ((1 - Math.cos(Math.PI * t)) / 2) * (finalFactor - 1) + 1 : decay === 'linear' ? (1 - t) * (1 - finalFactor) + finalFactor : 1;
  const warm = warmupSteps > 0 && step < warmupSteps ? (step + 1) / warmupSteps : 1;
  return lr * factor * warm;
}
