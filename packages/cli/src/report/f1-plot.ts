import type { TopLevelSpec } from 'vega-lite';
import { ALL_CLASSES, classLabel, sampledGrid, type CurveSource } from './curve-sampling.js';
import { VEGA_LITE_SCHEMA, type Plot } from './plot-render.js';

/** One point of a class's F1-confidence curve. */
export interface F1Point {
  readonly class: string;
  readonly confidence: number;
  readonly f1: number;
}

/** F1 over the confidence grid per class, and the mean over classes labelled with its best F1 and where (F1_curve.png). */
export function f1CurvePoints(result: CurveSource, classNames: readonly string[]): F1Point[] {
  const grid = sampledGrid(result.confidence.length);
  const points: F1Point[] = [];
  for (const c of result.classes) {
    const label = classLabel(classNames, c.cls);
    for (const i of grid) points.push({ class: label, confidence: result.confidence[i] as number, f1: c.f1Curve[i] as number });
  }
  if (result.classes.length > 0) {
    const label = `${ALL_CLASSES} ${result.best.f1.toFixed(2)} at ${result.best.confidence.toFixed(3)}`;
    for (const i of grid) points.push({ class: label, confidence: result.confidence[i] as number, f1: result.meanF1Curve[i] as number });
  }
  return points;
}

export function f1Plot(points: readonly F1Point[]): Plot {
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'F1-confidence',
    width: 420,
    height: 320,
    data: { values: points as F1Point[] },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'confidence', type: 'quantitative', scale: { domain: [0, 1] } },
      y: { field: 'f1', type: 'quantitative', title: 'F1', scale: { domain: [0, 1] } },
      color: { field: 'class', type: 'nominal', title: null, sort: null, scale: { scheme: 'category20' }, legend: { labelLimit: 320 } },
      strokeWidth: { condition: { test: `indexof(datum.class, '${ALL_CLASSES}') === 0`, value: 3 }, value: 1 },
    },
  };
  return { name: 'f1-curves', title: 'F1 over the confidence threshold per class and their mean', spec };
}
