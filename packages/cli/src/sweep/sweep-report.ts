import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanCi, pairedGains, type MeanCi } from '@yolo-distill/eval';
import type { Sweep } from './sweep-file.js';
import { runCompleted } from './sweep-run-state.js';

const LABELS: Readonly<Record<string, string>> = { 'val.map50': 'mAP@0.5', 'val.map': 'mAP@0.5:0.95' };
export const metricLabel = (metric: string): string => LABELS[metric] ?? metric;

export interface VariantRow {
  readonly variant: string;
  /** Seeds whose run completed. */
  readonly seeds: readonly number[];
  readonly metrics: Readonly<Record<string, MeanCi>>;
  /** `variant - baseline`, paired by seed (absent for the baseline itself and when there is none). */
  readonly gains?: Readonly<Record<string, MeanCi>>;
}

export interface SweepReport {
  readonly sweep: string;
  readonly runs: string;
  readonly baseline?: string;
  readonly metrics: readonly string[];
  readonly variants: readonly VariantRow[];
  /** Runs with no completed result yet. */
  readonly missing: readonly string[];
}

/** The last value of `metric` in a run's metrics.json history (the run's final one). */
function finalMetric(folder: string, metric: string): number | undefined {
  const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as { history: { name: string; value: number }[] };
  const records = metrics.history.filter((record) => record.name === metric);
  return records[records.length - 1]?.value;
}

/** Every variant of a sweep over its completed seeds: mean and 95% t interval, and gains paired by seed against the baseline. */
export function sweepReport(sweep: Sweep): SweepReport {
  const values = new Map<string, Map<string, Map<number, number>>>();
  const missing: string[] = [];
  for (const run of sweep.runs) {
    const folder = join(sweep.runsDir, run.name);
    if (!runCompleted(folder)) {
      missing.push(run.name);
      continue;
    }
    const byMetric = values.get(run.variant) ?? new Map<string, Map<number, number>>();
    values.set(run.variant, byMetric);
    for (const metric of sweep.metrics) {
      const value = finalMetric(folder, metric);
      if (value === undefined) throw new Error(`${folder}/metrics.json has no '${metric}' (the sweep file's metrics: ${sweep.metrics.join(', ')})`);
      const bySeed = byMetric.get(metric) ?? new Map<number, number>();
      byMetric.set(metric, bySeed.set(run.seed, value));
    }
  }
  const baseline = sweep.baseline !== undefined ? values.get(sweep.baseline) : undefined;
  const variants = sweep.variants.map((variant): VariantRow => {
    const byMetric = values.get(variant) ?? new Map<string, Map<number, number>>();
    const seedsOf = byMetric.get(sweep.metrics[0] ?? '') ?? new Map<number, number>();
    const metrics = Object.fromEntries(sweep.metrics.map((metric) => [metric, meanCi([...(byMetric.get(metric) ?? new Map<number, number>()).values()])]));
    const gains =
      baseline && variant !== sweep.baseline
        ? Object.fromEntries(sweep.metrics.map((metric) => [metric, meanCi(pairedGains(byMetric.get(metric) ?? new Map(), baseline.get(metric) ?? new Map()))]))
        : undefined;
    return { variant, seeds: [...seedsOf.keys()].sort((a, b) => a - b), metrics, ...(gains ? { gains } : {}) };
  });
  return { sweep: sweep.name, runs: sweep.runsDir, ...(sweep.baseline !== undefined ? { baseline: sweep.baseline } : {}), metrics: sweep.metrics, variants, missing };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : '-');
const cell = (value: MeanCi | undefined, signed = false): string => {
  if (!value || value.n === 0) return '-';
  const mean = signed && value.mean >= 0 ? `+${fmt(value.mean)}` : fmt(value.mean);
  return Number.isFinite(value.ci95) ? `${mean} ± ${fmt(value.ci95)}` : mean;
};

/** The report as one markdown table (mean ± 95% half-width; gains paired by seed). */
export function sweepReportMarkdown(report: SweepReport): string {
  const labels = report.metrics.map(metricLabel);
  const gainHeads = report.baseline !== undefined ? labels.map((label) => `gain ${label} vs ${report.baseline} (paired)`) : [];
  const head = ['variant', 'seeds', ...labels, ...gainHeads];
  const rows = report.variants.map((row) => [
    row.variant,
    row.seeds.join(', ') || '-',
    ...report.metrics.map((metric) => cell(row.metrics[metric])),
    ...(report.baseline !== undefined ? report.metrics.map((metric) => (row.variant === report.baseline ? 'baseline' : cell(row.gains?.[metric], true))) : []),
  ]);
  const lines = [`## Sweep ${report.sweep}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
  lines.push('Mean ± half-width of the 95% t interval over the seeds; gains are differences with the baseline on the same seed.');
  if (report.missing.length > 0) lines.push('', `Missing (not completed): ${report.missing.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same table as a self-contained HTML page (no script, no external file). */
export function sweepReportHtml(report: SweepReport): string {
  const table = sweepReportMarkdown(report)
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.slice(2, -2).split(' | '));
  const [head = [], ...rows] = table;
  const cells = (row: string[], tag: 'th' | 'td') => `<tr>${row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  const missing = report.missing.length > 0 ? `<p>Missing (not completed): ${escapeHtml(report.missing.join(', '))}</p>` : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sweep ${escapeHtml(report.sweep)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}</style></head>
<body><h1>Sweep ${escapeHtml(report.sweep)}</h1>
<table>${cells(head, 'th')}${rows.map((row) => cells(row, 'td')).join('')}</table>
<p>Mean &plusmn; half-width of the 95% t interval over the seeds; gains are differences with the baseline on the same seed. Runs in ${escapeHtml(report.runs)}.</p>${missing}
</body></html>
`;
}
