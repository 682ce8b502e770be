import type { ConvCost, ModelCost } from '../cost/model-cost.js';
import type { PruneStep } from '../prune-channels.js';

export interface LayerRow {
  readonly conv: string;
  readonly in: readonly [number, number];
  readonly out: readonly [number, number];
  readonly params: readonly [number, number];
}

/** What the stage writes to `prune-<stage>.json` and logs. */
export interface PruneReport {
  readonly model: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly imageSize: number;
  readonly before: ModelCost;
  readonly after: ModelCost;
  /** Share removed, 0..1. */
  readonly removed: { readonly params: number; readonly flops: number };
  readonly steps: readonly PruneStep[];
  /** Largest |pruned - masked original| over a random batch (the check that the cut is exact), if run. */
  readonly maskedMaxError?: number;
  readonly layers: readonly LayerRow[];
}

export function layerRows(before: readonly ConvCost[], after: readonly ConvCost[]): LayerRow[] {
  const byWeight = new Map(after.map((c) => [c.weight, c]));
  return before.map((b) => {
    const a = byWeight.get(b.weight);
    if (!a) throw new Error(`prune: the pruned model has no conv ${b.weight}`);
    return { conv: b.scope, in: [b.cin, a.cin], out: [b.cout, a.cout], params: [b.params, a.params] };
  });
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A markdown table: one row per conv, then the totals. */
export function reportTable(report: PruneReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = report.layers.map((r) => `| ${r.conv} | ${r.in[0]} -> ${r.in[1]} | ${r.out[0]} -> ${r.out[1]} | ${fmt(r.params[0])} -> ${fmt(r.params[1])} |`);
  return [
    `| conv | in channels | out channels | params |`,
    `|---|---|---|---|`,
    ...rows,
    `| **total** | | | ${fmt(report.before.params)} -> ${fmt(report.after.params)} (-${pct(report.removed.params)}) |`,
    '',
    `FLOPs at ${report.imageSize} px: ${(report.before.flops / 1e9).toFixed(3)} G -> ${(report.after.flops / 1e9).toFixed(3)} G (-${pct(report.removed.flops)})`,
  ].join('\n');
}
