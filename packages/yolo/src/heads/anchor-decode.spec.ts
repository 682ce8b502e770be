import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorLevelView, decodeAnchorBased } from './anchor-decode.js';
import type { AnchorHeadSpec } from './head-spec.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('decodeAnchorBased (yolov5 export layout)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('views channel a * no + k as anchor a, field k, rows anchor > y > x', async () => {
    // 1x2 map, 2 anchors, no = 6 (nc 1): channel value = 100 * x + 10 * a + k
    const values = [0, 1].flatMap((x) => [0, 1].flatMap((a) => [0, 1, 2, 3, 4, 5].map((k) => 100 * x + 10 * a + k)));
    const view = anchorLevelView(tf.tensor4d(values, [1, 1, 2, 12]), 2);
    expect(view.shape).toEqual([1, 2, 1, 2, 6]);
    expect(Array.from(await view.data())).toEqual([0, 1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105, 10, 11, 12, 13, 14, 15, 110, 111, 112, 113, 114, 115]);
  });

  it('decodes xy = (2 sigmoid - 0.5 + cell) * stride, wh = (2 sigmoid)^2 * anchor, and passes obj/cls sigmoids', async () => {
    const spec: AnchorHeadSpec = { kind: 'anchor-based', numClasses: 1, strides: [8, 16], anchors: [[[10, 13]], [[30, 61]]] };
    // level 0: 1x2 map; cell x=1 has sigmoid(tx) = 0.75, sigmoid(ty) = 0.25, sigmoid(tw) = 0.5, sigmoid(th) = 0.75
    const cell = (sx: number, sy: number, sw: number, sh: number, obj: number, cls: number) => [sx, sy, sw, sh, obj, cls].map(logit);
    const level0 = tf.tensor4d([...cell(0.5, 0.5, 0.5, 0.5, 0.9, 0.2), ...cell(0.75, 0.25, 0.5, 0.75, 0.6, 0.7)], [1, 1, 2, 6]);
    const level1 = tf.tensor4d(cell(0.5, 0.5, 0.25, 0.25, 0.1, 0.3), [1, 1, 1, 6]);
    const out = decodeAnchorBased([level0, level1], spec);
    expect(out.shape).toEqual([1, 3, 6]);
    const rows = await out.array();
    const expected = [
      [(1 - 0.5 + 0) * 8, (1 - 0.5 + 0) * 8, 1 * 10, 1 * 13, 0.9, 0.2],
      [(1.5 - 0.5 + 1) * 8, (0.5 - 0.5 + 0) * 8, 1 * 10, 1.5 ** 2 * 13, 0.6, 0.7],
      [(1 - 0.5) * 16, (1 - 0.5) * 16, 0.25 * 30, 0.25 * 61, 0.1, 0.3],
    ];
    rows[0]!.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]![c]!, 4)));
  });
});
