import type { ChannelGraph, ChannelGroup } from '../graph/channel-graph.js';

export interface SelectionOptions {
  /** Share of the prunable channels to remove (0..1). */
  readonly ratio: number;
  /** `global`: one ranking over every group (importance normalised per group); `layer`: the same share of each group. */
  readonly scope: 'global' | 'layer';
  /** The largest share of one group's channels that may go. */
  readonly maxRatio: number;
  /** Kept channels of every pruned group are a multiple of this. */
  readonly roundTo: number;
}

/** The kept-channel bounds of a group under `maxRatio` and `roundTo`; `undefined` when nothing can go. */
export function keptBounds(width: number, options: Pick<SelectionOptions, 'maxRatio' | 'roundTo'>): { min: number; max: number } | undefined {
  const step = options.roundTo;
  const max = Math.floor(width / step) * step;
  const min = Math.max(step, Math.ceil(((1 - options.maxRatio) * width) / step) * step);
  if (max < step || min > max) return undefined;
  return { min, max };
}

const roundToStep = (x: number, step: number) => Math.round(x / step) * step;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The units to remove: per group a kept count (rounded to `roundTo`, within `maxRatio`), then that
 * group's least important units go. `importance` is indexed by unit id (see `unitImportance`).
 */
export function selectUnits(channels: ChannelGraph, importance: Float64Array, options: SelectionOptions): Set<number> {
  const prunable = channels.groups.filter((g) => !g.fixed);
  const keptOf = new Map<ChannelGroup, number>();
  if (options.scope === 'layer') {
    for (const group of prunable) {
      const bounds = keptBounds(group.units.length, options);
      if (bounds) keptOf.set(group, clamp(roundToStep((1 - options.ratio) * group.units.length, options.roundTo), bounds.min, bounds.max));
    }
  } else {
    const total = prunable.reduce((n, g) => n + g.units.length, 0);
    const ranked = prunable.flatMap((group) => group.units.map((unit) => ({ group, score: importance[unit.id] as number })));
    ranked.sort((a, b) => a.score - b.score);
    const removedOf = new Map<ChannelGroup, number>();
    let budget = Math.round(options.ratio * total);
    for (const { group } of ranked) {
      if (budget <= 0) break;
      const bounds = keptBounds(group.units.length, options);
      const removed = removedOf.get(group) ?? 0;
      if (!bounds || group.units.length - removed <= bounds.min) continue;
      removedOf.set(group, removed + 1);
      budget--;
    }
    for (const group of prunable) {
      const bounds = keptBounds(group.units.length, options);
      if (bounds) keptOf.set(group, clamp(roundToStep(group.units.length - (removedOf.get(group) ?? 0), options.roundTo), bounds.min, bounds.max));
    }
  }
  const removed = new Set<number>();
  for (const [group, kept] of keptOf) {
    const order = [...group.units].sort((a, b) => (importance[a.id] as number) - (importance[b.id] as number));
    for (const unit of order.slice(0, group.units.length - kept)) removed.add(unit.id);
  }
  return removed;
}

/**
 * The smallest channel ratio whose cut removes at least `share` of `costOf(nothing removed)` (parameters,
 * say), by bisection; the cut it gives. Throws when even the largest cut `maxRatio` allows falls short.
 */
export function selectForCost(
  channels: ChannelGraph,
  importance: Float64Array,
  options: Omit<SelectionOptions, 'ratio'>,
  share: number,
  costOf: (removed: ReadonlySet<number>) => number,
): { removed: Set<number>; ratio: number } {
  const before = costOf(new Set());
  const goal = before * (1 - share);
  const cut = (ratio: number) => selectUnits(channels, importance, { ...options, ratio });
  const most = cut(1);
  if (costOf(most) > goal) {
    throw new Error(`prune: removing ${(100 * share).toFixed(1)}% is out of reach: with maxRatio ${options.maxRatio} and roundTo ${options.roundTo} at most ${(100 * (1 - costOf(most) / before)).toFixed(1)}% can go`);
  }
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (costOf(cut(mid)) <= goal) hi = mid;
    else lo = mid;
  }
  return { removed: cut(hi), ratio: hi };
}
