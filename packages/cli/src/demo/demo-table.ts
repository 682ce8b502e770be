import type { DemoRow } from './demo-models.js';

const pct = (value: number | undefined) => (value === undefined ? '-' : (100 * value).toFixed(1));
const millions = (value: number | undefined) => (value === undefined ? '-' : `${(value / 1e6).toFixed(2)}M`);
const megabytes = (value: number | undefined) => (value === undefined ? '-' : `${(value / 2 ** 20).toFixed(2)} MB`);
const ms = (row: DemoRow) => (row.latencyMs === undefined ? '-' : `${row.latencyMs.toFixed(1)} ms ${row.runtime?.split(' ')[0] ?? ''}`.trim());

/** The closing table: one model per line, mAP in percent, params in millions, size in MiB, latency per image. */
export function formatDemoTable(rows: readonly DemoRow[]): string {
  const header = ['model', 'mAP@0.5', 'mAP@0.5:0.95', 'params', 'size', 'latency (batch 1)'];
  const cells = rows.map((row) => [row.model, pct(row.map50), pct(row.map), millions(row.parameters), megabytes(row.bytes), ms(row)]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)));
  const line = (values: readonly string[]) => values.map((value, column) => (column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}
