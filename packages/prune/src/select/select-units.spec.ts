import { selectBackend } from '@yolo-distill/backend';
import { SeededRng } from '@yolo-distill/core';
import { tinyModel } from '../test-support/tiny-models.js';
import { channelGraphOf, paramsOutsideGraph } from '../prune-channels.js';
import { modelCost } from '../cost/model-cost.js';
import { unitImportance } from './importance.js';
import { keptBounds, selectForCost, selectUnits } from './select-units.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('keptBounds', () => {
  it('rounds the kept range to roundTo within maxRatio (hand-computed)', () => {
    expect(keptBounds(64, { maxRatio: 0.75, roundTo: 8 })).toEqual({ min: 16, max: 64 });
    // 30 channels, at most half may go: keep >= 15 -> 16 (multiple of 4); at most 28 (the largest multiple of 4).
    expect(keptBounds(30, { maxRatio: 0.5, roundTo: 4 })).toEqual({ min: 16, max: 28 });
    expect(keptBounds(3, { maxRatio: 0.9, roundTo: 4 })).toBeUndefined();
    expect(keptBounds(10, { maxRatio: 1, roundTo: 1 })).toEqual({ min: 1, max: 10 });
  });
});

describe('selectUnits on a tiny v5 model', () => {
  let model: ReturnType<typeof tinyModel>;
  let channels: ReturnType<typeof channelGraphOf>;
  let importance: Float64Array;
  let prunable: ReturnType<typeof channelGraphOf>['groups'];
  beforeAll(() => {
    model = tinyModel('v5', 2);
    channels = channelGraphOf(model, ['head']);
    importance = unitImportance(channels, 'l1', { weights: model.getWeights(), rng: new SeededRng(1) });
    prunable = channels.groups.filter((g) => !g.fixed);
  });
  afterAll(() => model.dispose());

  it('per layer: each group keeps round((1 - ratio) x width) to a multiple of roundTo, its least important units going', () => {
    const removed = selectUnits(channels, importance, { ratio: 0.5, scope: 'layer', maxRatio: 0.75, roundTo: 4 });
    for (const group of prunable) {
      const kept = group.units.filter((u) => !removed.has(u.id));
      const bounds = keptBounds(group.units.length, { maxRatio: 0.75, roundTo: 4 });
      const expected = bounds ? Math.min(bounds.max, Math.max(bounds.min, Math.round((0.5 * group.units.length) / 4) * 4)) : group.units.length;
      expect(kept.length, group.name).toBe(expected);
      // Every removed unit scores at most every kept one of its group.
      const gone = group.units.filter((u) => removed.has(u.id)).map((u) => importance[u.id]!);
      if (gone.length > 0) expect(Math.max(...gone)).toBeLessThanOrEqual(Math.min(...kept.map((u) => importance[u.id]!)));
    }
    for (const group of channels.groups.filter((g) => g.fixed)) for (const unit of group.units) expect(removed.has(unit.id)).toBe(false);
  });

  it('globally: removes about ratio of the prunable channels, never more than maxRatio of a group', () => {
    const total = prunable.reduce((n, g) => n + g.units.length, 0);
    const removed = selectUnits(channels, importance, { ratio: 0.3, scope: 'global', maxRatio: 0.5, roundTo: 1 });
    expect(Math.abs(removed.size - Math.round(0.3 * total))).toBeLessThanOrEqual(1);
    for (const group of prunable) expect(group.units.filter((u) => removed.has(u.id)).length).toBeLessThanOrEqual(Math.floor(group.units.length / 2));
  });

  it('for a parameter target: the smallest cut that removes the share, and a clear error when it is out of reach', () => {
    const extra = paramsOutsideGraph(model, channels);
    const params = (removed: ReadonlySet<number>) => modelCost(channels, 64, removed, extra).total.params;
    const { removed } = selectForCost(channels, importance, { scope: 'global', maxRatio: 0.75, roundTo: 4 }, 0.35, params);
    const share = 1 - params(removed) / model.parameterCount();
    expect(share).toBeGreaterThanOrEqual(0.35);
    expect(share).toBeLessThan(0.42);
    expect(() => selectForCost(channels, importance, { scope: 'global', maxRatio: 0.1, roundTo: 4 }, 0.35, params)).toThrow(/removing 35.0% is out of reach: with maxRatio 0.1 and roundTo 4 at most/);
  });
});

