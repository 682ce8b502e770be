import type { ConfusionMatrixJson } from '@yolo-distill/eval';
import type { TopLevelSpec } from 'vega-lite';
import { classLabel } from './curve-sampling.js';
import { VEGA_LITE_SCHEMA, type Plot } from './plot-render.js';

/** One cell: counts of `[predicted][true]`, and the count as a fraction of its true class's column. */
export interface ConfusionCell {
  readonly predicted: string;
  readonly true: string;
  readonly count: number;
  readonly fraction: number;
}

export const BACKGROUND = 'background';

/** The cells of Ultralytics' confusion matrix (last row/column background), normalised per true class as its plot is. */
export function confusionCells(confusion: ConfusionMatrixJson, classNames: readonly string[]): ConfusionCell[] {
  const n = confusion.numClasses;
  const label = (i: number) => (i === n ? BACKGROUND : classLabel(classNames, i));
  const columnSums = Array.from({ length: n + 1 }, (_, t) => confusion.matrix.reduce((sum, row) => sum + (row[t] ?? 0), 0));
  const cells: ConfusionCell[] = [];
  for (let p = 0; p <= n; p++) {
    for (let t = 0; t <= n; t++) {
      const count = confusion.matrix[p]?.[t] ?? 0;
      const sum = columnSums[t] as number;
      cells.push({ predicted: label(p), true: label(t), count, fraction: sum > 0 ? count / sum : 0 });
    }
  }
  return cells;
}

export function confusionPlot(cells: readonly ConfusionCell[], confusion: Pick<ConfusionMatrixJson, 'confidence' | 'iou'>): Plot {
  const order = [...new Set(cells.map((c) => c.true))];
  const side = Math.max(160, Math.min(560, order.length * 34));
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Confusion matrix (confidence > ${confusion.confidence}, IoU > ${confusion.iou}; columns normalised)`,
    width: side,
    height: side,
    data: { values: cells as ConfusionCell[] },
    encoding: {
      x: { field: 'true', type: 'nominal', sort: order, title: 'true' },
      y: { field: 'predicted', type: 'nominal', sort: order, title: 'predicted' },
    },
    layer: [
      // White for empty cells, as Ultralytics' Blues map reads.
      { mark: 'rect', encoding: { color: { field: 'fraction', type: 'quantitative', scale: { domain: [0, 1], range: ['#ffffff', '#08519c'], interpolate: 'rgb' }, title: null } } },
      {
        transform: [{ filter: 'datum.count > 0' }],
        mark: { type: 'text', fontSize: 10 },
        encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' } },
      },
    ],
  };
  return { name: 'confusion-matrix', title: 'Confusion matrix (counts; colour: fraction of the true class)', spec };
}
