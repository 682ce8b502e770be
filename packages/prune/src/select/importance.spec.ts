import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng } from '@yolo-distill/core';
import { tinyData, tinyModel } from '../test-support/tiny-models.js';
import { randomizeBatchNorms } from '../test-support/randomize.js';
import { channelGraphOf } from '../prune-channels.js';
import type { ChannelGroup, ChannelUnit } from '../graph/channel-graph.js';
import { unitImportance } from './importance.js';
import { lossGradients } from './taylor-gradients.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

// A second, plain implementation with tf ops: slices of the HWIO kernels.
const outFilter = (k: tf.Tensor, o: number) => tf.slice(k, [0, 0, 0, o], [-1, -1, -1, 1]);
const inSlice = (k: tf.Tensor, c: number) => tf.slice(k, [0, 0, c, 0], [-1, -1, 1, -1]);
const sum = (t: tf.Tensor) => tf.tidy(() => tf.sum(t).dataSync()[0] as number);

function reference(group: ChannelGroup, perUnit: (unit: ChannelUnit) => number): number[] {
  const raw = group.units.map(perUnit);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((x) => x / mean);
}

describe('unitImportance', () => {
  it('l1 and l2: the mean magnitude over producers\' filters and consumers\' input slices, normalised by the group mean', () => {
    const model = tinyModel('v8', 4);
    const channels = channelGraphOf(model, ['head']);
    const w = model.getWeights();
    // C2f's residual chain and the SPPF's pooled copies (its cv2 reads each cv1 channel 4 times).
    const groups = ['model.2.cv1+model.2.m.0.cv2+model.2.m.1.cv2', 'model.6.cv1'].map((name) => channels.groups.find((g) => g.name === name)!);
    for (const [criterion, f] of [['l1', tf.abs], ['l2', tf.square]] as const) {
      const scores = unitImportance(channels, criterion, { weights: w, rng: new SeededRng(1) });
      for (const group of groups) {
        const expected = reference(group, (unit) => {
          const terms = [...unit.producers.map((p) => sum(f(outFilter(w[p.conv.weight]!, p.channel)))), ...unit.consumers.map((c) => sum(f(inSlice(w[c.conv.weight]!, c.position))))];
          return terms.reduce((a, b) => a + b, 0) / terms.length;
        });
        const got = group.units.map((u) => scores[u.id]!);
        got.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 4));
      }
    }
    expect(groups[1]!.units[0]!.consumers).toHaveLength(4);
    model.dispose();
  });

  it('bn-gamma: |gamma| averaged over the producers; random: seeded', () => {
    const model = tinyModel('v5', 4);
    randomizeBatchNorms(model, 3);
    const channels = channelGraphOf(model, ['head']);
    const w = model.getWeights();
    const scores = unitImportance(channels, 'bn-gamma', { weights: w, rng: new SeededRng(1) });
    const group = channels.groups.find((g) => g.name.startsWith('model.4.cv1+'))!;
    const expected = reference(group, (unit) => unit.producers.reduce((s, p) => s + Math.abs(w[p.conv.batchNorm!.gamma]!.dataSync()[p.channel]!), 0) / unit.producers.length);
    group.units.forEach((u, i) => expect(scores[u.id]).toBeCloseTo(expected[i]!, 5));
    const a = unitImportance(channels, 'random', { weights: w, rng: new SeededRng(7) });
    const b = unitImportance(channels, 'random', { weights: w, rng: new SeededRng(7) });
    const c = unitImportance(channels, 'random', { weights: w, rng: new SeededRng(8) });
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    model.dispose();
  });

  it('taylor: |sum of w x dL/dw| over the unit\'s slices, with the loss gradients of a few batches', async () => {
    const model = tinyModel('v5', 4);
    const data = tinyData(2);
    const before = model.getWeights()['model.2.cv1.bn.running_mean']!.dataSync().slice();
    const grads = await lossGradients(model, data, { batches: 2, batch: 4, rng: new SeededRng(3) });
    // Inference-mode passes: the running statistics are untouched.
    expect([...model.getWeights()['model.2.cv1.bn.running_mean']!.dataSync()]).toEqual([...before]);
    const channels = channelGraphOf(model, ['head']);
    const w = model.getWeights();
    const scores = unitImportance(channels, 'taylor', { weights: w, gradients: grads, rng: new SeededRng(1) });
    const group = channels.groups.find((g) => g.name === 'model.10.cv2')!;
    const dot = (a: tf.Tensor, b: tf.Tensor) => Math.abs(sum(tf.mul(a, b)));
    const expected = reference(group, (unit) => {
      let s = 0;
      for (const p of unit.producers) {
        s += dot(outFilter(w[p.conv.weight]!, p.channel), outFilter(grads[p.conv.weight]!, p.channel));
        for (const name of [p.conv.batchNorm!.gamma, p.conv.batchNorm!.beta]) s += Math.abs(w[name]!.dataSync()[p.channel]! * grads[name]!.dataSync()[p.channel]!);
      }
      for (const c of unit.consumers) s += dot(inSlice(w[c.conv.weight]!, c.position), inSlice(grads[c.conv.weight]!, c.position));
      return s;
    });
    group.units.forEach((u, i) => expect(scores[u.id]).toBeCloseTo(expected[i]!, 4));
    expect(new Set(group.units.map((u) => scores[u.id])).size).toBeGreaterThan(1);
    tf.dispose(Object.values(grads));
    model.dispose();
  });
});
