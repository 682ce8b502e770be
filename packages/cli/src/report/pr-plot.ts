import type { TopLevelSpec } from 'vega-lite';
import { ALL_CLASSES, classLabel, sampledGrid, type CurveSource } from './curve-sampling.js';
import { VEGA_LITE_SCHEMA, type Plot } from './plot-render.js';

/** One point of a class's precision-recall curve; `class` reads `<name> <AP@0.5>` as Ultralytics' legend. */
export interface PrPoint {
  readonly class: string;
  readonly recall: number;
  readonly precision: number;
}

/**
 * The PR curves Ultralytics draws (PR_curve.png): per class with ground truth, the monotone precision
 * over the recall grid at IoU 0.5, and their mean over classes labelled with mAP@0.5.
 */
export function prCurvePoints(result: CurveSource, classNames: readonly string[]): PrPoint[] {
  const grid = sampledGrid(result.recall.length);
  const points: PrPoint[] = [];
  for (const c of result.classes) {
    const label = `${classLabel(classNames, c.cls)} ${(c.ap[0] ?? 0).toFixed(3)}`;
    for (const i of grid) points.push({ class: label, recall: result.recall[i] as number, precision: c.prPrecision[i] as number });
  }
  if (result.classes.length > 0) {
    const label = `${ALL_CLASSES} ${result.map50.toFixed(3)} mAP@0.5`;
    for (const i of grid) {
      const mean = result.classes.reduce((sum, c) => sum + (c.prPrecision[i] as number), 0) / result.classes.length;
      points.push({ class: label, recall: result.recall[i] as number, precision: mean });
    }
  }
  return points;
}

export function prPlot(points: readonly PrPoint[]): Plot {
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Precision-recall (IoU 0.5)',
    width: 420,
    height: 320,
    data: { values: points as PrPoint[] },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] } },
      y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] } },
      color: { field: 'class', type: 'nominal', title: null, sort: null, scale: { scheme: 'category20' }, legend: { labelLimit: 320 } },
      strokeWidth: { condition: { test: `indexof(datum.class, '${ALL_CLASSES}') === 0`, value: 3 }, value: 1 },
    },
  };
  return { name: 'pr-curves', title: 'Precision-recall curves per class (IoU 0.5) and their mean', spec };
}
