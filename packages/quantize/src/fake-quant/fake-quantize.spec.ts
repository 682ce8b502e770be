import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { fakeQuantizeChannels, fakeQuantizeTensor } from './fake-quantize.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('fakeQuantizeTensor', () => {
  // uint8, scale 0.1, zero point 10: representable -1.0 .. 24.5.
  const p = { scale: 0.1, zeroPoint: 10, type: 'uint8' as const };
  const x = [-2, -1.04, -0.26, -0.25, 0.04, 0.05, 0.15, 1.234, 24.5, 24.56, 30];
  // By hand: clamp(round_half_even(x / 0.1) + 10, 0, 255) - 10, times 0.1.
  const expected = [-1.0, -1.0, -0.3, -0.2, 0.0, 0.0, 0.2, 1.2, 24.5, 24.5, 24.5];

  it('rounds (half to even) and clamps to the uint8 grid', () => {
    const y = tf.tidy(() => fakeQuantizeTensor(tf.tensor1d(x), p).arraySync() as number[]);
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  });

  it('passes the gradient straight through inside the range and blocks it where the value clamps', () => {
    const { grad } = tf.tidy(() => {
      const weights = tf.tensor1d(x.map((_, i) => i + 1));
      const g = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(fakeQuantizeTensor(input, p), weights)))(tf.tensor1d(x));
      return { grad: g.arraySync() as number[] };
    });
    // round(x / s) + zp inside 0..255 <=> -1.05 <= x < 24.55 (x = -1.04 rounds to -10 + 10 = 0; 24.56 rounds to 256).
    const inside = [false, true, true, true, true, true, true, true, true, false, false];
    expect(grad).toEqual(x.map((_, i) => (inside[i] ? i + 1 : 0)));
  });

  it('int8 symmetric: -127..127, zero point 0', () => {
    const y = tf.tidy(() => fakeQuantizeTensor(tf.tensor1d([-20, -1.26, 0.74, 20]), { scale: 0.1, zeroPoint: 0, type: 'int8' }).arraySync() as number[]);
    [-12.7, -1.3, 0.7, 12.7].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
  });
});

describe('fakeQuantizeChannels', () => {
  it('quantizes each output channel of an HWIO kernel on its own max-abs / 127 grid, with an identity gradient', () => {
    // [1, 1, 2, 2]: channel 0 holds 1.27 and -0.3, channel 1 holds 0.05 and -2.54.
    const values = [1.27, 0.05, -0.3, -2.54];
    const { y, grad } = tf.tidy(() => {
      const w = tf.tensor4d(values, [1, 1, 2, 2]);
      const out = fakeQuantizeChannels(w).arraySync() as number[][][][];
      const g = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(fakeQuantizeChannels(input as tf.Tensor4D), tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]))))(w);
      return { y: out.flat(3), grad: g.arraySync() as number[][][][] };
    });
    // Channel 0: scale 0.01 -> 1.27, -0.30. Channel 1: scale 0.02 -> round(2.5) = 2 (half to even) -> 0.04, -2.54.
    [1.27, 0.04, -0.3, -2.54].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
    expect(grad.flat(3)).toEqual([1, 2, 3, 4]);
  });
});
