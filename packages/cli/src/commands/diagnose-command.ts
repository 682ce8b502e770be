import { join } from 'node:path';
import { LOGGER, SeededRng, type DiagnoseReport, type Logger, type PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { loadPipelineSpec, openPipelineSession, type PipelineSessionOptions } from './pipeline-session.js';

export interface DiagnoseCommandOptions extends PipelineSessionOptions {
  readonly batches: number;
  /** The stage's name or index; default: the first stage that can be diagnosed. */
  readonly stage?: string;
  readonly json: boolean;
}

/**
 * `yolo-distill diagnose <pipeline>`: builds the pipeline, runs N training batches through a
 * distillation stage without updating anything, and prints per term its value, gradient norm, ratio
 * and cosine to the native loss's gradient, and where its mass lies. Writes nothing.
 */
export async function diagnoseCommand(file: string, options: DiagnoseCommandOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const spec = await loadPipelineSpec(file, registry, options, io);
  const session = await openPipelineSession(spec, registry, join(spec.runsDir, spec.name), io);
  const stages = session.pipeline.stages;
  const index = options.stage === undefined ? stages.findIndex((s) => s.stage.diagnose) : stages.findIndex((s, i) => s.name === options.stage || String(i) === options.stage);
  const chosen = stages[index];
  if (!chosen?.stage.diagnose) {
    io.stderr(`${file}: ${options.stage === undefined ? 'no stage has distillation terms to diagnose' : `no stage '${options.stage}' with distillation terms (stages: ${stages.map((s) => s.name).join(', ')})`}\n`);
    return EXIT.badInput;
  }
  const logger = session.container.resolve<Logger>(LOGGER);
  const rng = new SeededRng(spec.seed).fork(`diagnose:${index}`);
  const report = { ...(await chosen.stage.diagnose(session.pipeline.models, { batches: options.batches, rng, logger })), stage: chosen.name };
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDiagnosis(report));
  return EXIT.ok;
}

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4));

/** The diagnosis as a table: one row per term, native first. */
export function formatDiagnosis(report: DiagnoseReport): string {
  const header = ['term', 'value', 'factor', 'grad norm', 'ratio', 'cosine', 'parts'];
  const rows = [
    ['native', num(report.native.value), '1', num(report.native.gradNorm), '1', '1', ''],
    ...report.terms.map((t) => [t.name, num(t.value), num(t.factor), num(t.gradNorm), num(t.ratio), num(t.cosine), Object.entries(t.parts).map(([k, v]) => `${k} ${num(v)}`).join(', ')]),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [`stage ${report.stage}: ${report.batches} batch(es), gradients over the student's parameters at the stage's first step`, line(header), ...rows.map(line), ''].join('\n');
}
