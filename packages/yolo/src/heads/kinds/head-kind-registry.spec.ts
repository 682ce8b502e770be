import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorFreeHead } from './anchor-free-head.js';
import type { HeadKindEntry } from './head-kind.js';
import { HeadKindRegistry } from './head-kind-registry.js';
import { HEAD_KINDS, headChannels, headKind, headKinds } from './head-kinds.js';

// A v10-style head (one-to-one, NMS-free) would be one more entry; here one that decodes as the DFL head does.
const oneToOne: HeadKindEntry = { ...anchorFreeHead, name: 'one-to-one', summary: 'a v10-style head for the test' };

describe('head kinds', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('registers the anchor-based and anchor-free heads, one entry each', () => {
    expect(headKinds.names()).toEqual(['anchor-based', 'anchor-free']);
    expect(HEAD_KINDS.map((entry) => entry.name)).toEqual(['anchor-based', 'anchor-free']);
    expect(headKind('anchor-free')).toBe(anchorFreeHead);
  });

  it('refuses a duplicate name, and names the known kinds for an unknown one', () => {
    expect(() => new HeadKindRegistry([...HEAD_KINDS, anchorFreeHead])).toThrow("the head kinds name 'anchor-free' twice");
    expect(() => headKind('one-to-one')).toThrow("unknown head kind 'one-to-one'; the registered kinds are anchor-based, anchor-free");
  });

  it('a new kind is one entry: a registry holding it decodes through it', () => {
    const registry = new HeadKindRegistry([...HEAD_KINDS, oneToOne]);
    const spec = { kind: 'one-to-one', numClasses: 1, strides: [8], regMax: 2 };
    expect(registry.get('one-to-one').channels(spec)).toBe(4 * 2 + 1);
    const decoded = tf.tidy(() => registry.get('one-to-one').decode([tf.zeros([1, 1, 1, 9]) as tf.Tensor4D], spec).arraySync());
    // bins all 0: each side 0.5 cell; the cell centre (0.5, 0.5) * 8 px, size 1 cell * 8 px; sigmoid(0) class score.
    expect(decoded).toEqual([[[4, 4, 8, 8, 0.5]]]);
  });

  it('headChannels reads the kind: na * (5 + nc) or 4 * regMax + nc', () => {
    expect(headChannels({ kind: 'anchor-based', numClasses: 80, strides: [8, 16], anchors: [[[10, 13], [16, 30], [33, 23]], [[30, 61], [62, 45], [59, 119]]] })).toBe(255);
    expect(headChannels({ kind: 'anchor-free', numClasses: 80, strides: [8], regMax: 16 })).toBe(144);
    expect(() => headChannels({ kind: 'anchor-free', numClasses: 80, strides: [8] })).toThrow('an anchor-free head needs its DFL bins (regMax)');
  });
});
