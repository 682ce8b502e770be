import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { DetectHeadLayout } from './detect-head-layout.js';
import { headDecoder } from './head-decoder.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

// One anchor-free level, 2x2 cells, reg_max 16, one class, all logits 0: every side's 16 bins are
// equally likely, so each distance is 7.5 cells: box centred on the cell centre, 15 cells wide; score 0.5.
const dfl: DetectHeadLayout = { kind: 'anchor-free', origin: 'model.22', numClasses: 1, regMax: 16, levels: [{ outputs: ['box', 'cls'] }] };
const input = (dims: (number | string)[]) => ({ name: 'images', elemType: 'float32', dims });

describe('headDecoder', () => {
  it('anchor-free: strides from the static input height, else from the stride metadata', () => {
    const maps = [tf.zeros([1, 2, 2, 65]) as tf.Tensor4D];
    const fromInput = headDecoder(dfl, input([1, 3, 64, 64]), {})?.(maps);
    // stride 32: the first cell's centre is (16, 16), the box 480 wide
    expect([...(fromInput?.dataSync().slice(0, 5) ?? [])]).toEqual([16, 16, 480, 480, 0.5]);
    const fromMetadata = headDecoder(dfl, input(['b', 3, 'h', 'w']), { stride: '16' })?.(maps);
    expect([...(fromMetadata?.dataSync().slice(0, 5) ?? [])]).toEqual([8, 8, 240, 240, 0.5]);
    expect(headDecoder(dfl, input(['b', 3, 'h', 'w']), {})).toBeUndefined();
    expect(() => headDecoder(dfl, input([1, 3, 64, 64]), {})?.([...maps, ...maps])).toThrow('decode expects 1 raw NHWC head maps, got 2 tensor(s)');
    tf.dispose([...maps, fromInput, fromMetadata]);
  });

  it('anchor-based: only with the anchors and strides of the export\'s decode', () => {
    const head: DetectHeadLayout = { kind: 'anchor-based', origin: 'model.24', numClasses: 1, anchorsPerLevel: 1, levels: [{ outputs: ['raw'] }] };
    expect(headDecoder(head, input([1, 3, 64, 64]), {})).toBeUndefined();
    // logits 0: sigmoid 0.5, xy = (0.5 * 2 - 0.5 + cell) * 32, wh = (0.5 * 2)^2 * anchor; score = obj * cls = 0.25
    const decode = headDecoder({ ...head, anchors: [[[10, 20]]], strides: [32] }, input([1, 3, 64, 64]), {});
    const maps = [tf.zeros([1, 2, 2, 6]) as tf.Tensor4D];
    const decoded = decode?.(maps);
    expect(decoded?.shape).toEqual([1, 4, 5]);
    expect([...(decoded?.dataSync().slice(0, 10) ?? [])]).toEqual([16, 16, 10, 20, 0.25, 48, 16, 10, 20, 0.25]);
    tf.dispose([...maps, decoded]);
  });
});
