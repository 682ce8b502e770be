import { join } from 'node:path';
import { writeFileAtomic, type PluginRegistry } from '@yolo-distill/core';
import type { CliIO } from '../cli-io.js';
import { confusionCells, confusionPlot } from './confusion-plot.js';
import { f1CurvePoints, f1Plot } from './f1-plot.js';
import { lossPlot } from './loss-plot.js';
import { modelRows } from './model-table.js';
import { writePlot, type Plot } from './plot-render.js';
import { prCurvePoints, prPlot } from './pr-plot.js';
import { reportHtml } from './report-page.js';
import { readRunRecord } from './run-record.js';
import { evaluateRunStudent, type SkippedEvaluation, type StudentEvaluation } from './student-evaluation.js';
import { validationPlot } from './validation-plot.js';

export interface RunReportOptions {
  /** Validation images drawn with their boxes (default 4). */
  readonly samples?: number;
  /** Evaluate the final student on the validation split for the curves, matrix and samples (default true). */
  readonly evaluate?: boolean;
}

/** What was written. */
export interface RunReport {
  /** `<run>/report.html`. */
  readonly file: string;
  /** Every `<run>/plots/<name>.svg` (each with its `<name>.vl.json`). */
  readonly plots: readonly string[];
  /** Why the evaluation sections are missing, when they are. */
  readonly skipped?: string;
}

export const REPORT_FILE = 'report.html';
export const PLOTS_FOLDER = 'plots';

/**
 * Writes `<folder>/report.html` (self-contained) and its plots as `<folder>/plots/<name>.svg` beside
 * their Vega-Lite specs: from `events.jsonl` the loss terms and validation per epoch, the before/after
 * table and the guard rails; from evaluating the final student on the validation split the PR and F1
 * curves, the confusion matrix and sample images. A run without a teacher or validation gets a page without those parts.
 */
export async function writeRunReport(folder: string, registry: PluginRegistry, io: CliIO, options: RunReportOptions = {}): Promise<RunReport> {
  const record = await readRunRecord(folder);
  const models = await modelRows(record);
  const evaluation: StudentEvaluation | SkippedEvaluation | undefined =
    options.evaluate === false ? undefined : await evaluateRunStudent(folder, registry, io, { samples: options.samples ?? 4 });

  const plots: Plot[] = [];
  if (record.losses.length > 0) plots.push(lossPlot(record.losses));
  if (record.validation.length > 0) plots.push(validationPlot(record.validation));
  if (evaluation && !('skipped' in evaluation)) {
    plots.push(prPlot(prCurvePoints(evaluation.curves, evaluation.classNames)));
    plots.push(f1Plot(f1CurvePoints(evaluation.curves, evaluation.classNames)));
    plots.push(confusionPlot(confusionCells(evaluation.summary.confusion, evaluation.classNames), evaluation.summary.confusion));
  }
  const plotsFolder = join(folder, PLOTS_FOLDER);
  const rendered = [];
  for (const plot of plots) rendered.push({ plot, svg: await writePlot(plotsFolder, plot) });

  const file = join(folder, REPORT_FILE);
  await writeFileAtomic(file, reportHtml({ record, models, plots: rendered, ...(evaluation ? { evaluation } : {}), generatedAt: new Date().toISOString() }));
  return {
    file,
    plots: plots.map((plot) => join(plotsFolder, `${plot.name}.svg`)),
    ...(evaluation && 'skipped' in evaluation ? { skipped: evaluation.skipped } : {}),
  };
}
