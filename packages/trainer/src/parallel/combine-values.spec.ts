import { combineValues } from './combine-values.js';

describe('combineValues', () => {
  it('adds totals and batch-scaled components, weights batch means and details by their shard share', () => {
    const reduction = { component: (name: string) => (name === 'native' ? ('sum' as const) : ('mean' as const)) };
    const combined = combineValues(
      [
        { share: 0.75, values: { total: 3 + 0.75 * 2, components: { native: 3, kd: 2 }, details: { 'native.box': 0.4 } } },
        { share: 0.25, values: { total: 1 + 0.25 * 6, components: { native: 1, kd: 6 }, details: { 'native.box': 0.8 } } },
      ],
      reduction,
    );
    expect(combined.total).toBeCloseTo(4 + 3, 12);
    expect(combined.components['native']).toBeCloseTo(4, 12);
    expect(combined.components['kd']).toBeCloseTo(0.75 * 2 + 0.25 * 6, 12);
    expect(combined.details['native.box']).toBeCloseTo(0.75 * 0.4 + 0.25 * 0.8, 12);
  });
});
