import type { Split } from '@yolo-distill/core';
import { evaluateDetections, type DetectionEvaluation } from '@yolo-distill/eval';
import { EXIT, type CliIO } from '../cli-io.js';
import { readCocoTruth } from './coco-truth.js';
import { EvalInputError, readPredictions, readSplitTruth, type LoadedPredictions, type SplitTruth } from './eval-inputs.js';

/** The flags of `yolo-distill eval` (commander's option object: `--category-base` arrives as a string). */
export interface EvalPredictionsOptions {
  /** A folder of YOLO txt predictions (`<image stem>.txt`: `cls cx cy w h score`) or a COCO results `.json`. */
  readonly predictions: string;
  /** A YOLO dataset folder holding `data.yaml`, or a COCO ground-truth `.json` (instances file). */
  readonly data: string;
  /** `train` or `val` (default). */
  readonly split?: string;
  /** Print the report as JSON instead of a table. */
  readonly json?: boolean;
  /** COCO json only: the `category_id` of class 0 (0 default; Ultralytics' `save_json` on non-COCO data writes 1). */
  readonly categoryBase?: number | string;
}

const SPLITS: readonly Split[] = ['train', 'val'];

/**
 * `yolo-distill eval --predictions <folder|json> --data <dataset> [--split val] [--json]`: scores saved
 * predictions against a YOLO dataset split: COCO mAP@0.5:0.95 / @0.5 / @0.75 (pycocotools-exact), per
 * class AP, and precision / recall at the confidence of the best mean F1 (as Ultralytics' validator).
 * Bad input (flags, data.yaml, labels, prediction lines) is reported with its file and line: exit 2.
 */
export async function evalPredictionsCommand(options: EvalPredictionsOptions, io: CliIO): Promise<number> {
  try {
    const split = options.split ?? 'val';
    if (!SPLITS.includes(split as Split)) throw new EvalInputError(`--split must be one of ${SPLITS.join(', ')}, got '${split}'`);
    const categoryBase = Number(options.categoryBase ?? 0);
    if (!Number.isInteger(categoryBase) || categoryBase < 0) throw new EvalInputError(`--category-base must be an integer >= 0, got '${String(options.categoryBase)}'`);
    const coco = options.data.toLowerCase().endsWith('.json') ? await readCocoTruth(options.data) : undefined;
    const truth = coco ?? (await readSplitTruth(options.data, split as Split));
    const predictions = await readPredictions(options.predictions, truth, { categoryBase, ...(coco ? { categoryMap: coco.classOf } : {}) });
    const report = evaluateDetections(
      predictions.detections,
      truth.images.map((image) => image.truths),
      { numClasses: truth.classNames.length },
    );
    io.stdout(options.json === true ? `${JSON.stringify(toJson(report, truth, predictions, options), null, 2)}\n` : formatEvalTable(report, truth, predictions, options));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof EvalInputError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

function toJson(report: DetectionEvaluation, truth: SplitTruth, predictions: LoadedPredictions, options: EvalPredictionsOptions) {
  return {
    data: options.data,
    split: truth.split,
    predictions: options.predictions,
    format: predictions.format,
    ...report,
    classes: report.classes.map((c) => ({ name: truth.classNames[c.cls] ?? String(c.cls), ...c })),
  };
}

const fixed = (value: number): string => value.toFixed(3);

/** The Ultralytics-style table: one row for all classes, one per class with ground truth. */
export function formatEvalTable(report: DetectionEvaluation, truth: SplitTruth, predictions: LoadedPredictions, options: EvalPredictionsOptions): string {
  const name = (cls: number) => truth.classNames[cls] ?? String(cls);
  const rows: string[][] = [
    ['class', 'images', 'instances', 'P', 'R', 'AP50', 'AP50-95'],
    ['all', String(report.images), String(report.instances), fixed(report.precision), fixed(report.recall), fixed(report.map50), fixed(report.map)],
    ...report.classes.map((c) => [name(c.cls), String(c.images), String(c.instances), fixed(c.precision), fixed(c.recall), fixed(c.ap50), fixed(c.ap)]),
  ];
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const lines = rows.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(Math.max(widths[col] ?? 0, 7)))).join('  '));
  const source = predictions.format === 'yolo-txt' ? `${predictions.count} txt file(s)` : `${predictions.count} COCO result(s)`;
  const scored = new Set(report.classes.map((c) => c.cls));
  const unscored = [...new Set(predictions.detections.flat().map((d) => d.cls))].filter((cls) => !scored.has(cls)).sort((a, b) => a - b);
  const notes = [
    `predictions ${options.predictions} (${source}); ${truth.split} split of ${options.data} (${report.images} images)`,
    ...lines,
    `mAP75 ${fixed(report.map75)}; P and R at confidence ${fixed(report.confidence)} (best mean F1 ${fixed(report.f1)}); AP is COCO's (pycocotools), P/R Ultralytics'`,
  ];
  if (unscored.length > 0) notes.push(`not scored (no ground truth in this split): predictions of ${unscored.map(name).join(', ')}`);
  return `${notes.join('\n')}\n`;
}
