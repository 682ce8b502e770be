import type { LossReduction } from './loss-reduction.js';
import type { ShardValues, StepValues } from './step-values.js';

/**
 * The batch's numbers from its shards', in rank order: totals (already share-weighted where they are
 * means) and batch-scaled components add up; batch-mean components and every detail count with their
 * shard's share. A name missing from a shard counts as 0 there.
 */
export function combineValues(shards: readonly ShardValues[], reduction: LossReduction): StepValues {
  let total = 0;
  const components: Record<string, number> = {};
  const details: Record<string, number> = {};
  for (const { values, share } of shards) {
    total += values.total;
    for (const [name, value] of Object.entries(values.components)) {
      components[name] = (components[name] ?? 0) + (reduction.component(name) === 'sum' ? value : share * value);
    }
    for (const [name, value] of Object.entries(values.details)) details[name] = (details[name] ?? 0) + share * value;
  }
  return { total, components, details };
}
