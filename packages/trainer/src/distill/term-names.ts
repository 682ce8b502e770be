import type { DistillLoss } from '@yolo-distill/core';

/**
 * Log names of distillation losses: the type without its package (`FeatureL2`), with the student tap
 * when it has one (`FeatureL2[neck.0]`), and `#2`, `#3` for repeats.
 */
export function distillTermNames(losses: readonly DistillLoss[]): string[] {
  const used = new Map<string, number>();
  return losses.map((loss) => {
    const base = loss.name.replace(/^[a-z0-9-]+\./, '');
    const tap = loss.taps[0]?.student;
    const name = tap ? `${base}[${tap}]` : base;
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    return seen === 1 ? name : `${name}#${seen}`;
  });
}
