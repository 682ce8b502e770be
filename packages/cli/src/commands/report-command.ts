import type { PluginRegistry } from '@yolo-distill/core';
import { EXIT, type CliIO } from '../cli-io.js';
import { RunReportError } from '../report/run-record.js';
import { writeRunReport } from '../report/write-run-report.js';

/** The flags of `yolo-distill report <run folder>`. */
export interface ReportOptions {
  readonly samples?: string | number;
  readonly eval?: boolean;
}

/** `yolo-distill report <run folder>`: writes the run's report.html and plots/; exit 2 when the folder is not a run. */
export async function reportCommand(folder: string, options: ReportOptions, registry: PluginRegistry, io: CliIO): Promise<number> {
  const samples = Number(options.samples ?? 4);
  if (!Number.isInteger(samples) || samples < 0) {
    io.stderr(`error: --samples expects a whole number, got '${String(options.samples)}'\n`);
    return EXIT.badInput;
  }
  try {
    const report = await writeRunReport(folder, registry, io, { samples, evaluate: options.eval !== false });
    if (report.skipped) io.stderr(`report: no validation of the final student (${report.skipped})\n`);
    io.stdout(`report ${report.file}\nplots ${report.plots.length === 0 ? '(none)' : report.plots.join(' ')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RunReportError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
