import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorFreeHead } from './anchor-free-head.js';

const fail = (why: string): never => {
  throw new Error(why);
};
const description = { kind: 'anchor-free', numClasses: 2, strides: [8], regMax: 2 };

describe('anchorFreeHead', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('reads a level as one prediction per cell: class logits, DFL bins and their expected box', () => {
    // bins (l, t, r, b) x 2: l, t and b uniform (0.5 cell), r all on bin 1 (about 1 cell); classes 3, -3.
    const map = tf.tensor4d([0, 0, 0, 0, -30, 30, 0, 0, 3, -3], [1, 1, 1, 10]);
    const rows = tf.tidy(() => {
      const r = anchorFreeHead.levelRows(map, description, 0, { fail });
      return { perCell: r.perCell, objectness: r.objectness, cls: r.classLogits.arraySync(), bins: r.bins?.shape, box: r.box.arraySync() as number[][][] };
    });
    expect(rows).toMatchObject({ perCell: 1, objectness: undefined, cls: [[[3, -3]]], bins: [1, 1, 4, 2] });
    // x = 0.5 + (r - l) / 2 = 0.75, y = 0.5, w = l + r = 1.5, h = 1.
    rows.box[0]?.[0]?.forEach((v, i) => expect(v).toBeCloseTo([0.75, 0.5, 1.5, 1][i] as number, 5));
    map.dispose();
    expect(() =>
      tf.tidy(() => {
        anchorFreeHead.levelRows(tf.zeros([1, 1, 1, 9]), description, 0, { fail });
      }),
    ).toThrow('9 channels, expected 4 x 2 bins + 2 classes = 10');
  });

  it('cell confidence is the best class probability; exports channels first without objectness; counts the DFL conv', () => {
    const confidence = tf.tidy(() => anchorFreeHead.cellConfidence(tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 3, -3], [1, 1, 1, 10]), 2).arraySync() as number[][][]);
    expect(confidence[0]?.[0]?.[0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(anchorFreeHead.exported).toEqual({ layout: 'channels-first', objectness: false });
    expect(anchorFreeHead.checkpointMeta(description)).toEqual({});
    // 400 cells x 4 sides x a 16-bin 1x1 conv, 2 FLOPs a multiply-add.
    expect(anchorFreeHead.decodeFlops({ ...description, regMax: 16 }, 400)).toBe(2 * 400 * 4 * 16);
    expect(anchorFreeHead.specOf({ kind: 'anchor-free', numClasses: 2, strides: [8, 16], regMax: 16 })).toEqual({ kind: 'anchor-free', numClasses: 2, strides: [8, 16], regMax: 16 });
  });
});
