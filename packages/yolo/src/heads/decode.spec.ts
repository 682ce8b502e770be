import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { decodeAsExported, decodeDetections } from './decode.js';
import type { AnchorHeadSpec, DflHeadSpec } from './head-spec.js';

describe('decodeDetections: one layout for every head', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('anchor-based: [B, N, 4 + nc] with sigmoid(obj) * sigmoid(cls)', async () => {
    const spec: AnchorHeadSpec = { kind: 'anchor-based', numClasses: 2, strides: [8], anchors: [[[10, 13]]] };
    const head = [tf.tensor4d([0, 0, 0, 0, Math.log(4), 0, Math.log(3)], [1, 1, 1, 7])];
    const out = await decodeDetections(head, spec).array();
    const expected = [4, 4, 10, 13, 0.8 * 0.5, 0.8 * 0.75];
    out[0]![0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(decodeAsExported(head, spec).shape).toEqual([1, 1, 7]);
  });

  it('anchor-free: the DFL decode itself; exported layout channel-first', () => {
    const spec: DflHeadSpec = { kind: 'anchor-free', numClasses: 3, strides: [8, 16], regMax: 2 };
    const head = [tf.zeros([2, 2, 2, 11]) as tf.Tensor4D, tf.zeros([2, 1, 1, 11]) as tf.Tensor4D];
    expect(decodeDetections(head, spec).shape).toEqual([2, 5, 7]);
    expect(decodeAsExported(head, spec).shape).toEqual([2, 7, 5]);
  });
});
