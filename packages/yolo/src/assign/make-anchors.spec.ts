import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorGrid, makeAnchors } from './make-anchors.js';

describe('make anchors', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('puts anchor centres at (x + 0.5, y + 0.5), level > y > x, with each level stride', () => {
    const grid = anchorGrid([[2, 2], [1, 1]], [8, 16]);
    expect(grid.count).toBe(5);
    expect(Array.from(grid.points)).toEqual([0.5, 0.5, 1.5, 0.5, 0.5, 1.5, 1.5, 1.5, 0.5, 0.5]);
    expect(Array.from(grid.strides)).toEqual([8, 8, 8, 8, 16]);
  });

  it('reads sizes as [height, width] and honours the offset', () => {
    const grid = anchorGrid([[1, 3]], [32], 0);
    expect(Array.from(grid.points)).toEqual([0, 0, 1, 0, 2, 0]);
  });

  it('returns tensors [A, 2] and [A, 1] as upstream make_anchors', async () => {
    const { anchorPoints, strideTensor } = makeAnchors([[2, 2], [1, 1]], [8, 16]);
    expect(anchorPoints.shape).toEqual([5, 2]);
    expect(strideTensor.shape).toEqual([5, 1]);
    expect(await anchorPoints.array()).toEqual([[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [1.5, 1.5], [0.5, 0.5]]);
    expect(await strideTensor.array()).toEqual([[8], [8], [8], [8], [16]]);
    tf.dispose([anchorPoints, strideTensor]);
  });

  it('refuses sizes and strides of different lengths', () => {
    expect(() => anchorGrid([[2, 2]], [8, 16])).toThrow(/1 grid sizes but 2 strides/);
  });
});
