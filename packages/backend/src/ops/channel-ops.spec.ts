import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.js';
import { channelAffine, channelMean } from './channel-ops.js';

describe.each(['cpu', 'wasm'] as const)('channel ops on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it.each<[[number, number, number, number]]>([[[3, 7, 5, 4]], [[1, 1, 1, 6]], [[2, 1, 3, 2]]])('channelMean of %j equals the mean over batch, height and width', (shape) => {
    const x = tf.randomNormal(shape, 0.5, 2, 'float32', 7) as tf.Tensor4D;
    const got = Array.from(channelMean(x).dataSync());
    const want = Array.from(tf.mean(x, [0, 1, 2]).dataSync());
    expect(got).toHaveLength(shape[3]);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose(x);
  });

  it.each([
    ['linear', (v: number) => v],
    ['relu', (v: number) => Math.max(v, 0)],
    ['leakyrelu', (v: number) => (v > 0 ? v : 0.1 * v)],
  ] as const)('channelAffine is x * scale + shift per channel, then %s', (activation, f) => {
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const scale = tf.tensor1d([0.5, -2, 1, 3]);
    const shift = tf.tensor1d([0.1, 0, -0.4, 2]);
    const got = channelAffine(x, scale, shift, activation, 0.1).dataSync();
    const xs = x.dataSync();
    const [s, t] = [scale.dataSync(), shift.dataSync()];
    xs.forEach((v, i) => expect(got[i]).toBeCloseTo(f(v * s[i % 4]! + t[i % 4]!), 5));
    tf.dispose([x, scale, shift]);
  });
});
