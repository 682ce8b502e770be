import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorBasedHead } from './anchor-based-head.js';

const fail = (why: string): never => {
  throw new Error(why);
};
const description = { kind: 'anchor-based', numClasses: 1, strides: [8], anchors: [[[16, 8] as const, [8, 8] as const]] };

describe('anchorBasedHead', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('reads a level as rows: objectness and class logits, the v5 box in grid units', () => {
    // One cell, two anchors of (x, y, w, h, obj, cls); logits 0 except anchor 1's obj (2) and cls (-1).
    const map = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, -1], [1, 1, 1, 12]);
    const rows = tf.tidy(() => {
      const r = anchorBasedHead.levelRows(map, description, 0, { fail });
      return { perCell: r.perCell, obj: r.objectness?.arraySync(), cls: r.classLogits.arraySync(), box: r.box.arraySync() };
    });
    expect(rows.perCell).toBe(2);
    expect(rows.obj).toEqual([[0, 2]]);
    expect(rows.cls).toEqual([[[0], [-1]]]);
    // xy = 2 * sigmoid(0) - 0.5 = 0.5; wh = (2 * sigmoid(0))^2 * anchor / stride = [2, 1] and [1, 1].
    expect(rows.box).toEqual([[[0.5, 0.5, 2, 1], [0.5, 0.5, 1, 1]]]);
    map.dispose();
  });

  it('says what is wrong with a level: channels, anchors, stride', () => {
    tf.tidy(() => {
      expect(() => anchorBasedHead.levelRows(tf.zeros([1, 1, 1, 10]), description, 0, { fail })).toThrow('10 channels, expected 2 anchors x (5 + 1 classes) = 12');
      expect(() => anchorBasedHead.levelRows(tf.zeros([1, 1, 1, 12]), description, 1, { fail })).toThrow('the head description has no anchors for this level');
      expect(() => anchorBasedHead.levelRows(tf.zeros([1, 1, 1, 12]), { ...description, strides: [] }, 0, { fail })).toThrow('no stride');
      expect(anchorBasedHead.levelRows(tf.zeros([1, 1, 1, 12]), { ...description, strides: [] }, 0, { fail, stride: 16 }).box.arraySync()).toEqual([[[0.5, 0.5, 1, 0.5], [0.5, 0.5, 0.5, 0.5]]]);
    });
  });

  it('cell confidence is the best objectness x class probability; exports rows with objectness', () => {
    const confidence = tf.tidy(() => anchorBasedHead.cellConfidence(tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0], [1, 1, 1, 12]), 1).arraySync() as number[][][]);
    expect(confidence[0]?.[0]?.[0]).toBeCloseTo(0.5, 6); // anchor 1: sigmoid(20) * sigmoid(0)
    expect(anchorBasedHead.exported).toEqual({ layout: 'rows', objectness: true });
    expect(anchorBasedHead.checkpointMeta(description)).toEqual({ anchors: [[[16, 8], [8, 8]]] });
    expect(anchorBasedHead.describe(description)).toEqual(description);
    expect(anchorBasedHead.specOf({ kind: 'anchor-based', numClasses: 1, strides: [8] })).toBeUndefined();
    expect(anchorBasedHead.decodeFlops(description, 400)).toBe(0);
  });
});
