import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { boxIoU } from '../boxes/box-iou.js';
import { pairCIoU } from './pair-ciou.js';

describe('pairCIoU', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('matches the hand-worked CIoU of A = (0,0)-(4,4), B = (2,2)-(6,8)', () => {
    const iou = 4 / (36 + 1e-7);
    const v = (4 / Math.PI ** 2) * (Math.atan(4 / 6) - Math.atan(4 / 4)) ** 2;
    expect(pairCIoU([0, 0, 4, 4], 0, [2, 2, 6, 8], 0)).toBeCloseTo(iou - 13 / 100 - (v / (v - iou + 1)) * v, 6);
  });

  it('reads boxes at the given offsets and agrees with boxIoU(kind: ciou) on assorted pairs', async () => {
    const first = [9, 9, 9, 9, 0, 0, 8, 8, 1, 2, 3, 7, 10, 10, 11, 11, 0, 0, 0, 0];
    const second = [1, 1, 7, 7, 2, 0, 12, 4, 4, 3, 6, 5, 0, 0, 1, 1, 0, 0, 3, 3];
    const reference = (await boxIoU(tf.tensor2d(first.slice(4), [4, 4]), tf.tensor2d(second.slice(0, 16), [4, 4]), { kind: 'ciou' }).data()) as Float32Array;
    for (let i = 0; i < 4; i += 1) expect(pairCIoU(first, 4 + i * 4, second, i * 4)).toBeCloseTo(reference[i] as number, 5);
  });

  it('is 1 for identical boxes and negative for far apart ones', () => {
    expect(pairCIoU([1, 1, 7, 7], 0, [1, 1, 7, 7], 0)).toBeCloseTo(1, 6);
    expect(pairCIoU([0, 0, 1, 1], 0, [5, 5, 6, 6], 0)).toBeLessThan(0);
  });
});
