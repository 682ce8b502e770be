import { CURVES } from './curve-fixture.js';
import { f1CurvePoints, f1Plot } from './f1-plot.js';
import { renderSvg } from './plot-render.js';

describe('f1CurvePoints and f1Plot', () => {
  it('samples F1 over the confidence grid per class, and the mean F1 labelled with its best value and confidence', () => {
    const points = f1CurvePoints(CURVES, ['circle']);
    expect(points).toEqual([
      { class: 'circle', confidence: 0, f1: 1 },
      { class: 'circle', confidence: 0.5, f1: 0.5 },
      { class: 'circle', confidence: 1, f1: 0 },
      // Class 2 has no name: its number.
      { class: '2', confidence: 0, f1: 0.5 },
      { class: '2', confidence: 0.5, f1: 0.25 },
      { class: '2', confidence: 1, f1: 0 },
      { class: 'all classes 0.68 at 0.100', confidence: 0, f1: 0.75 },
      { class: 'all classes 0.68 at 0.100', confidence: 0.5, f1: 0.375 },
      { class: 'all classes 0.68 at 0.100', confidence: 1, f1: 0 },
    ]);
  });

  it("keeps its input as the spec's data and renders it", async () => {
    const points = f1CurvePoints(CURVES, ['circle']);
    const plot = f1Plot(points);
    expect((plot.spec as { data: { values: unknown } }).data.values).toEqual(points);
    expect(await renderSvg(plot.spec)).toMatch(/>all classes 0\.68 at 0\.100<\/text>/);
  });
});
