import { CURVES } from './curve-fixture.js';
import { renderSvg } from './plot-render.js';
import { prCurvePoints, prPlot } from './pr-plot.js';

describe('prCurvePoints and prPlot', () => {
  it("samples each class's monotone precision over the recall grid, and their mean labelled with mAP@0.5", () => {
    const points = prCurvePoints(CURVES, ['circle', 'ellipse', 'square']);
    // precision = level * (1 - r / 2) at r = 0, 0.5, 1; class 2 is 'square'; the mean of levels 1 and 0.5 is 0.75.
    expect(points).toEqual([
      { class: 'circle 0.800', recall: 0, precision: 1 },
      { class: 'circle 0.800', recall: 0.5, precision: 0.75 },
      { class: 'circle 0.800', recall: 1, precision: 0.5 },
      { class: 'square 0.400', recall: 0, precision: 0.5 },
      { class: 'square 0.400', recall: 0.5, precision: 0.375 },
      { class: 'square 0.400', recall: 1, precision: 0.25 },
      { class: 'all classes 0.600 mAP@0.5', recall: 0, precision: 0.75 },
      { class: 'all classes 0.600 mAP@0.5', recall: 0.5, precision: 0.5625 },
      { class: 'all classes 0.600 mAP@0.5', recall: 1, precision: 0.375 },
    ]);
    expect(prCurvePoints({ ...CURVES, classes: [] }, [])).toEqual([]);
  });

  it("keeps its input as the spec's data and renders a line per class with its legend", async () => {
    const points = prCurvePoints(CURVES, ['circle', 'ellipse', 'square']);
    const plot = prPlot(points);
    expect((plot.spec as { data: { values: unknown } }).data.values).toEqual(points);
    const svg = await renderSvg(plot.spec);
    expect(svg).toMatch(/>circle 0\.800<\/text>/);
    expect(svg).toMatch(/>all classes 0\.600 mAP@0\.5<\/text>/);
    expect(svg).toContain('stroke-width="3"');
  });
});
