import { confusionCells, confusionPlot } from './confusion-plot.js';
import { renderSvg } from './plot-render.js';

// [predicted][true], index 2 = background: 3 circles found, 1 called a square, 1 missed; ...
const confusion = { numClasses: 2, confidence: 0.25, iou: 0.45, matrix: [[3, 1, 0], [0, 2, 1], [1, 0, 0]] };

describe('confusionCells and confusionPlot', () => {
  it('lists every cell with its count and its fraction of the true class (column sums 4, 3, 1)', () => {
    expect(confusionCells(confusion, ['circle', 'square'])).toEqual([
      { predicted: 'circle', true: 'circle', count: 3, fraction: 0.75 },
      { predicted: 'circle', true: 'square', count: 1, fraction: 1 / 3 },
      { predicted: 'circle', true: 'background', count: 0, fraction: 0 },
      { predicted: 'square', true: 'circle', count: 0, fraction: 0 },
      { predicted: 'square', true: 'square', count: 2, fraction: 2 / 3 },
      { predicted: 'square', true: 'background', count: 1, fraction: 1 },
      { predicted: 'background', true: 'circle', count: 1, fraction: 0.25 },
      { predicted: 'background', true: 'square', count: 0, fraction: 0 },
      { predicted: 'background', true: 'background', count: 0, fraction: 0 },
    ]);
    const empty = confusionCells({ ...confusion, matrix: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }, ['circle', 'square']);
    expect(empty.every((c) => c.fraction === 0)).toBe(true);
  });

  it("keeps its input as the spec's data and renders the counts of the non-empty cells", async () => {
    const cells = confusionCells(confusion, ['circle', 'square']);
    const plot = confusionPlot(cells, confusion);
    expect((plot.spec as { data: { values: unknown } }).data.values).toEqual(cells);
    const svg = await renderSvg(plot.spec);
    const counts = [...svg.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => m[1]);
    for (const n of ['3', '1', '2']) expect(counts).toContain(n);
    expect(svg).toMatch(/>background<\/text>/);
    // A whole column in one cell is the darkest blue; an empty cell white.
    expect(svg).toMatch(/aria-label="true: background; predicted: square; fraction: 1"[^>]*fill="rgb\(8, 81, 156\)"/);
    expect(svg).toMatch(/aria-label="true: circle; predicted: square; fraction: 0"[^>]*fill="rgb\(255, 255, 255\)"/);
  });
});
