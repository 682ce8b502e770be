import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng } from '@yolo-distill/core';
import { tinyModel } from '../test-support/tiny-models.js';
import { randomizeBatchNorms } from '../test-support/randomize.js';
import { channelGraphOf, paramsOutsideGraph } from '../prune-channels.js';
import { modelCost } from '../cost/model-cost.js';
import { unitImportance } from '../select/importance.js';
import { selectUnits } from '../select/select-units.js';
import { convCuts } from './prune-weights.js';
import { maskedModel, pruneModel } from './prune-model.js';

const images = (size: number, seed: number) => tf.randomUniform([2, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;

function maxDiff(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  return Math.max(...a.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[i] as tf.Tensor))).dataSync()[0] as number)));
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe.each(['v5', 'v8'] as const)('pruning a tiny %s model', (version) => {
  it('gives a dense model that computes what the original with the removed channels zeroed computes (<= 1e-5), every pruned width a multiple of roundTo', () => {
    const model = tinyModel(version, 3);
    randomizeBatchNorms(model, 11);
    const channels = channelGraphOf(model, ['head']);
    // The structures the cut must respect are all there: residual chains, C2f's split, SPPF, the head's inputs.
    const names = channels.groups.map((g) => g.name);
    if (version === 'v5') expect(names).toContain('model.2.cv1+model.2.m.0.cv2+model.2.m.1.cv2');
    else {
      expect(names).toContain('model.2.cv1+model.2.m.0.cv2+model.2.m.1.cv2');
      expect(names.filter((n) => n === 'model.2.cv1')).toHaveLength(1); // the first half of the split, alone
      expect(names).toContain('model.9.m.0.cv2');
    }
    expect(names).toContain('model.6.cv1');
    expect(channels.groups.filter((g) => g.fixed?.startsWith('ignored')).length).toBeGreaterThan(0);

    const importance = unitImportance(channels, 'l2', { weights: model.getWeights(), rng: new SeededRng(1) });
    const removed = selectUnits(channels, importance, { ratio: 0.4, scope: 'global', maxRatio: 0.75, roundTo: 4 });
    expect(removed.size).toBeGreaterThan(0);
    const pruned = pruneModel(model, channels, removed);
    const masked = maskedModel(model, channels, removed);
    const x = images(64, 5);
    const a = pruned.forward(x, { training: false, taps: ['neck.0', 'neck.1'] });
    const b = masked.forward(x, { training: false, taps: ['neck.0', 'neck.1'] });
    const reference = maxDiff(b.head, model.forward(x, { training: false }).head);
    expect(reference).toBeGreaterThan(1e-2); // the cut does change the model
    expect(maxDiff(a.head, b.head)).toBeLessThanOrEqual(1e-5);

    // Kept output channels of every pruned group: a multiple of 4; cv1 of C2f keeps its two halves' sum.
    const cuts = convCuts(channels, removed);
    for (const group of channels.groups.filter((g) => !g.fixed)) {
      const kept = group.units.filter((u) => !removed.has(u.id)).length;
      expect(kept % 4, group.name).toBe(0);
    }
    for (const [name, cut] of cuts) {
      const shape = pruned.getWeights()[name]?.shape as number[];
      expect([shape[2], shape[3]], name).toEqual([cut.keepIn.length, cut.keepOut.length]);
    }
    // The cost model counts what the model holds.
    const extra = paramsOutsideGraph(model, channels);
    expect(extra).toBe(version === 'v8' ? 16 : 0); // the DFL projection
    expect(modelCost(channels, 64, new Set(), extra).total.params).toBe(model.parameterCount());
    expect(modelCost(channels, 64, removed, extra).total.params).toBe(pruned.parameterCount());
    expect(pruned.parameterCount()).toBeLessThan(model.parameterCount());
    tf.dispose([x, ...a.head, ...Object.values(a.features), ...b.head, ...Object.values(b.features)]);
    for (const m of [model, pruned, masked]) m.dispose();
  });
});
