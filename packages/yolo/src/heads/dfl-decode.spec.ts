import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorPoints, decodeDfl, decodeDflAsExported, dflDistances, flattenLevels } from './dfl-decode.js';
import type { DflHeadSpec } from './head-spec.js';

describe('DFL decode (YOLOv8)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('makes anchor points at cell centres, level > y > x, with their strides', async () => {
    const { points, strides } = anchorPoints([[2, 2], [1, 1]], [8, 16]);
    expect(await points.array()).toEqual([[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [1.5, 1.5], [0.5, 0.5]]);
    expect(await strides.array()).toEqual([[8], [8], [8], [8], [16]]);
  });

  it('takes the expectation of each side softmax over 0..reg_max-1', async () => {
    // reg_max 4; side l uniform -> 1.5; side t all mass on bin 3 -> ~3; r on bin 0 -> ~0; b half 1 half 2 -> 1.5
    const big = 30;
    const logits = tf.tensor3d([[[0, 0, 0, 0, 0, 0, 0, big, big, 0, 0, 0, 0, big, big, 0]]], [1, 1, 16]);
    const d = await dflDistances(logits, 4).data();
    [1.5, 3, 0, 1.5].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 4));
  });

  it('decodes boxes around the anchor point in pixels and class sigmoids, [B, N, 4 + nc] and exported [B, 4 + nc, N]', async () => {
    const spec: DflHeadSpec = { kind: 'anchor-free', numClasses: 1, strides: [8], regMax: 4 };
    // one 1x2 map; cell x=1: l = 1.5 (uniform), t = 3, r = 0, b = 1.5, class logit 0 -> 0.5
    const big = 30;
    const cellA = [...Array(16).fill(0), 2];
    const cellB = [0, 0, 0, 0, 0, 0, 0, big, big, 0, 0, 0, 0, big, big, 0, 0];
    const head = [tf.tensor4d([...cellA, ...cellB], [1, 1, 2, 17])];
    const out = await decodeDfl(head, spec).array();
    // cell 0: point (0.5, 0.5), all sides 1.5 -> box (-1, -1, 2, 2): centre 0.5, size 3
    const expected = [
      [0.5 * 8, 0.5 * 8, 3 * 8, 3 * 8, 1 / (1 + Math.exp(-2))],
      // cell 1: point (1.5, 0.5): x1 = 0, y1 = -2.5, x2 = 1.5, y2 = 2 -> centre (0.75, -0.25), size (1.5, 4.5)
      [0.75 * 8, -0.25 * 8, 1.5 * 8, 4.5 * 8, 0.5],
    ];
    out[0]!.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]![c]!, 3)));
    const exported = decodeDflAsExported(head, spec);
    expect(exported.shape).toEqual([1, 5, 2]);
    expect((await exported.array())[0]![2]![1]).toBeCloseTo(1.5 * 8, 3);
  });

  it('flattens NHWC levels to [B, N, C]', async () => {
    const flat = flattenLevels([tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]), tf.tensor4d([5, 6], [1, 1, 1, 2])]);
    expect(await flat.array()).toEqual([[[1, 2], [3, 4], [5, 6]]]);
  });
});
