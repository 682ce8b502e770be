import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { decodeDistances } from './distribution-decode.js';

describe('decodeDistances', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('gives the mean bin (7.5 of 0..15) for uniform logits and the peak bin for a sharp one', async () => {
    const logits = new Float32Array(2 * 64);
    // anchor 1: l peaks at bin 3, t at 0, r at 15, b splits evenly between bins 4 and 5
    logits[64 + 3] = 40;
    logits[64 + 16] = 40;
    logits[64 + 32 + 15] = 40;
    logits[64 + 48 + 4] = 40;
    logits[64 + 48 + 5] = 40;
    const values = (await decodeDistances(tf.tensor3d(logits, [1, 2, 64]), 16).array()) as number[][][];
    values[0]?.[0]?.forEach((d) => expect(d).toBeCloseTo(7.5, 5));
    const sharp = values[0]?.[1] ?? [];
    [3, 0, 15, 4.5].forEach((d, i) => expect(sharp[i]).toBeCloseTo(d, 5));
  });

  it('refuses a channel count that is not 4 * regMax', () => {
    expect(() => decodeDistances(tf.zeros([1, 60]), 16)).toThrow(/60 channels, expected 4 \* regMax = 64/);
  });
});
