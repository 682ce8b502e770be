import type { TopLevelSpec } from 'vega-lite';
import { VEGA_LITE_SCHEMA, type Plot } from './plot-render.js';
import type { ValidationPoint } from './run-record.js';

/** The validation figures drawn per epoch, and their colours. */
export const VALIDATION_METRICS = ['map50', 'map', 'precision', 'recall'] as const;
const COLOURS = ['#d62728', '#9467bd', '#2ca02c', '#ff7f0e'];

/** mAP@0.5, mAP@0.5:0.95, precision and recall after each validated epoch. */
export function validationPlot(points: readonly ValidationPoint[]): Plot {
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Validation per epoch',
    width: 520,
    height: 260,
    data: { values: points as ValidationPoint[] },
    transform: [{ filter: { field: 'metric', oneOf: [...VALIDATION_METRICS] } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'epoch (run-wide)' },
      y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
      color: { field: 'metric', type: 'nominal', title: null, scale: { domain: [...VALIDATION_METRICS], range: COLOURS } },
      detail: { field: 'stage', type: 'nominal' },
    },
  };
  return { name: 'validation', title: 'mAP@0.5 (map50), mAP@0.5:0.95 (map), precision and recall per validated epoch', spec };
}
