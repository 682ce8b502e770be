import { renderSvg } from './plot-render.js';
import type { ValidationPoint } from './run-record.js';
import { validationPlot } from './validation-plot.js';

const points: ValidationPoint[] = [
  { stage: 0, epoch: 0, x: 1, metric: 'map50', value: 0.25 },
  { stage: 0, epoch: 0, x: 1, metric: 'map', value: 0.125 },
  { stage: 0, epoch: 0, x: 1, metric: 'fitness', value: 0.1375 },
  { stage: 0, epoch: 1, x: 2, metric: 'map50', value: 0.5 },
  { stage: 0, epoch: 1, x: 2, metric: 'map', value: 0.3 },
];

describe('validationPlot', () => {
  it("keeps its input as the spec's data", () => {
    expect((validationPlot(points).spec as { data: { values: unknown } }).data.values).toEqual(points);
  });

  it('draws mAP@0.5 and mAP@0.5:0.95 in their colours and leaves fitness out', async () => {
    const svg = await renderSvg(validationPlot(points).spec);
    expect(svg).toContain('stroke="#d62728"');
    expect(svg).toContain('stroke="#9467bd"');
    expect(svg).toMatch(/>map50<\/text>/);
    expect(svg).not.toMatch(/>fitness<\/text>/);
  });
});
