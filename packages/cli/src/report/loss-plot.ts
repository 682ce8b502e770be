import type { TopLevelSpec } from 'vega-lite';
import { VEGA_LITE_SCHEMA, type Plot } from './plot-render.js';
import type { LossPoint } from './run-record.js';

/** The epoch means' line colour (the screenshot test looks for it). */
export const EPOCH_LOSS_COLOUR = '#1f77b4';
const STEP_LOSS_COLOUR = '#9ecae9';

const axes = {
  x: { field: 'x', type: 'quantitative', title: 'epoch (run-wide)' },
  y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
  // One line per stage: a stage's first step does not continue the previous stage's last.
  detail: { field: 'stage', type: 'nominal' },
} as const;

/** One small chart per loss term (as Ultralytics' results.png): logged steps thin, epoch means as a line with points. */
export function lossPlot(points: readonly LossPoint[]): Plot {
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Loss terms',
    data: { values: points as LossPoint[] },
    facet: { field: 'term', type: 'nominal', title: null, sort: [...new Set(points.map((p) => p.term))] },
    columns: 4,
    spec: {
      width: 220,
      height: 140,
      layer: [
        { transform: [{ filter: "datum.kind === 'step'" }], mark: { type: 'line', color: STEP_LOSS_COLOUR, strokeWidth: 1 }, encoding: axes },
        { transform: [{ filter: "datum.kind === 'epoch'" }], mark: { type: 'line', color: EPOCH_LOSS_COLOUR, strokeWidth: 2, point: { filled: true, color: EPOCH_LOSS_COLOUR } }, encoding: axes },
      ],
    },
    resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
  };
  return { name: 'losses', title: 'Loss terms per step (light) and per epoch (dark)', spec };
}
