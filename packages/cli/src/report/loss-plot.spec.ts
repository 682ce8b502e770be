import { EPOCH_LOSS_COLOUR, lossPlot } from './loss-plot.js';
import { renderSvg } from './plot-render.js';
import type { LossPoint } from './run-record.js';

const points: LossPoint[] = [
  { stage: 0, epoch: 0, x: 0.5, term: 'total', value: 4, kind: 'step' },
  { stage: 0, epoch: 0, x: 1, term: 'total', value: 3, kind: 'step' },
  { stage: 0, epoch: 0, x: 1, term: 'total', value: 3.5, kind: 'epoch' },
  { stage: 0, epoch: 1, x: 2, term: 'total', value: 2, kind: 'epoch' },
  { stage: 0, epoch: 0, x: 1, term: 'native.box', value: 1.375, kind: 'epoch' },
  { stage: 0, epoch: 1, x: 2, term: 'native.box', value: 1.25, kind: 'epoch' },
];

describe('lossPlot', () => {
  it("keeps its input as the spec's data, one chart per term in order of first appearance", () => {
    const { name, spec } = lossPlot(points);
    expect(name).toBe('losses');
    expect((spec as { data: { values: unknown } }).data.values).toEqual(points);
    expect((spec as { facet: { sort: unknown } }).facet.sort).toEqual(['total', 'native.box']);
  });

  it('renders to SVG through vega: the epoch line in its colour, the step line, a title per term', async () => {
    const svg = await renderSvg(lossPlot(points).spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`stroke="${EPOCH_LOSS_COLOUR}"`);
    expect(svg).toContain('stroke="#9ecae9"');
    expect(svg).toMatch(/>total<\/text>/);
    expect(svg).toMatch(/>native\.box<\/text>/);
    // Two epoch lines (total, native.box) with a point per epoch mean, labelled with its value.
    expect(svg.match(new RegExp(`aria-roledescription="line mark"[^>]*stroke="${EPOCH_LOSS_COLOUR}"`, 'g'))).toHaveLength(2);
    expect(svg.match(new RegExp(`aria-roledescription="point"[^>]*fill="${EPOCH_LOSS_COLOUR}"`, 'g'))).toHaveLength(4);
    expect(svg).toContain('aria-label="epoch (run-wide): 2; value: 1.25; stage: 0"');
    expect(svg).toContain('aria-label="epoch (run-wide): 1; value: 3.5; stage: 0"');
  });
});
