import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng } from '@yolo-distill/core';
import { tinyModel } from '../test-support/tiny-models.js';
import { randomizeBatchNorms } from '../test-support/randomize.js';
import { channelGraphOf } from '../prune-channels.js';
import { unitImportance } from '../select/importance.js';
import { selectUnits } from '../select/select-units.js';
import { pruneModel } from './prune-model.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('a pruned model\'s checkpoint', () => {
  it('carries its channel counts: a model of the YAML rebuilt for it (shapedFor) loads it and computes the same; the plain model refuses it clearly', async () => {
    const model = tinyModel('v8', 2);
    randomizeBatchNorms(model, 4);
    const channels = channelGraphOf(model, ['head']);
    const removed = selectUnits(channels, unitImportance(channels, 'l1', { weights: model.getWeights(), rng: new SeededRng(0) }), { ratio: 0.3, scope: 'global', maxRatio: 0.75, roundTo: 4 });
    const pruned = pruneModel(model, channels, removed);
    const payload = await pruned.saveState();
    expect(payload.meta['channelWidths']).toEqual(pruned.spec.channelWidths);
    const widths = payload.meta['channelWidths'] as Record<string, [number, number]>;
    expect(widths['model.2.cv1.conv.weight']?.[1]).toBe(pruned.getWeights()['model.2.cv1.conv.weight']?.shape[3]);

    const fresh = tinyModel('v8', 9);
    await expect(fresh.loadState(payload)).rejects.toThrow(/the checkpoint holds other channel counts \(a pruned model\): rebuild the model for it/);
    const rebuilt = fresh.shapedFor(payload);
    expect(rebuilt).not.toBe(fresh);
    expect(fresh.shapedFor(await fresh.saveState())).toBe(fresh);
    await rebuilt.loadState(payload);
    expect(rebuilt.parameterCount()).toBe(pruned.parameterCount());
    const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const a = pruned.forward(x, { training: false }).head;
    const b = rebuilt.forward(x, { training: false }).head;
    for (const [i, t] of a.entries()) expect(tf.max(tf.abs(tf.sub(t, b[i]!))).dataSync()[0]).toBe(0);
    // The pruned model trains: its variables take gradients of its own loss.
    const { grads } = tf.variableGrads(() => tf.tidy(() => tf.addN(rebuilt.forward(x, { training: true }).head.map((h) => tf.sum(tf.square(h))))) as tf.Scalar, rebuilt.trainableVariables() as tf.Variable[]);
    expect(Object.keys(grads).length).toBe(rebuilt.trainableVariables().length);
    tf.dispose([x, ...a, ...b, ...Object.values(grads)]);
    for (const m of [model, pruned, fresh, rebuilt]) m.dispose();
  });

  it('names a malformed channelWidths entry', () => {
    const model = tinyModel('v5', 1);
    expect(() => model.shapedFor({ meta: { channelWidths: { 'model.0.conv.weight': [3, -1] } }, tensors: {} })).toThrow(/meta\.channelWidths\.model\.0\.conv\.weight must be \[in, out\] positive channel counts, found \[3,-1\]/);
    expect(() => model.withSpec({ ...model.spec, channelWidths: { 'model.99.conv.weight': [3, 4] } })).toThrow(/channel widths were given for model\.99\.conv\.weight, which no conv of the model builds/);
    model.dispose();
  });
});
