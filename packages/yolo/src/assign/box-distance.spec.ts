import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { bbox2dist, dist2bbox } from './box-distance.js';

describe('dist2bbox / bbox2dist', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('turns (l, t, r, b) around an anchor into corners or centre + size', async () => {
    const anchor = tf.tensor2d([[5.5, 3.5]]);
    const distance = tf.tensor2d([[1, 2, 3, 4]]);
    expect(await dist2bbox(distance, anchor).array()).toEqual([[4.5, 1.5, 8.5, 7.5]]);
    expect(await dist2bbox(distance, anchor, 'xywh').array()).toEqual([[6.5, 4.5, 4, 6]]);
  });

  it('round-trips boxes whose distances stay below the clamp', async () => {
    const anchors = tf.tensor2d([[0.5, 0.5], [3.5, 2.5], [10.5, 7.5]]);
    const distance = tf.tensor2d([[0, 1.25, 7.5, 2], [3, 2.5, 0.75, 14.5], [14.98, 0.01, 6, 9]]);
    const back = bbox2dist(anchors, dist2bbox(distance, anchors), 15);
    const values = (await back.array()) as number[][];
    const expected = (await distance.array()) as number[][];
    values.flat().forEach((value, i) => expect(value).toBeCloseTo(expected.flat()[i] as number, 5));
  });

  it('clamps distances to [0, max - 0.01] (anchor outside the box, box too far)', async () => {
    const anchors = tf.tensor2d([[5, 5]]);
    const boxes = tf.tensor2d([[6, 0, 30, 4]]); // left edge right of the anchor, bottom above it
    const values = (await bbox2dist(anchors, boxes, 15).array()) as number[][];
    expect(values[0]?.[0]).toBe(0);
    expect(values[0]?.[1]).toBeCloseTo(5, 6);
    expect(values[0]?.[2]).toBeCloseTo(14.99, 5);
    expect(values[0]?.[3]).toBe(0);
  });

  it('broadcasts anchors [A, 2] against batched distances [B, A, 4]', () => {
    const anchors = tf.tensor2d([[0.5, 0.5], [1.5, 0.5]]);
    const distance = tf.ones([3, 2, 4]);
    expect(dist2bbox(distance, anchors).shape).toEqual([3, 2, 4]);
  });
});
