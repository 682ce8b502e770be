import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { DetectionModel, HeadDescription } from '@yolo-distill/core';
import { HEAD_KINDS } from '@yolo-distill/yolo';
import { headLayout } from '../onnx/head-layout.js';
import { anchorBasedExport } from './anchor-based-export.js';
import { anchorFreeExport } from './anchor-free-export.js';
import { EXPORT_HEAD_KINDS, exportHeadKind } from './export-head-kinds.js';

const modelWith = (headDescription: HeadDescription): DetectionModel => ({ name: 'tiny', headDescription }) as unknown as DetectionModel;
const V5_HEAD: HeadDescription = { kind: 'anchor-based', numClasses: 1, strides: [8, 16], anchors: [[[10, 13], [16, 30]], [[30, 61], [62, 45]]] };

describe('EXPORT_HEAD_KINDS', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has an exporter for every head kind yolo registers, and only those', () => {
    expect(EXPORT_HEAD_KINDS.map((k) => k.name).sort()).toEqual(HEAD_KINDS.map((k) => k.name).sort());
  });

  it('an unknown kind names the model, the kinds it knows and where to add one', () => {
    expect(() => exportHeadKind('nms-free', 'yolov10n')).toThrow("yolov10n: the exporters cannot write a 'nms-free' head (they know anchor-based, anchor-free); add its entry to EXPORT_HEAD_KINDS in packages/export/src/heads/");
    expect(() => headLayout(modelWith({ kind: 'nms-free', numClasses: 2, strides: [8] }), 64, 64)).toThrow("tiny: the exporters cannot write a 'nms-free' head");
  });

  it('lays out rows per head kind: anchors x (5 + nc) per cell, or 4 x regMax + nc per cell', () => {
    const v5 = headLayout(modelWith(V5_HEAD), 64, 32);
    expect(v5).toMatchObject({ writer: anchorBasedExport, grids: [[8, 4], [4, 2]], anchorsPerLevel: 2, outputsPerAnchor: 6, boxes: 2 * (32 + 8) });
    const v8 = headLayout(modelWith({ kind: 'anchor-free', numClasses: 3, strides: [8, 16], regMax: 4 }), 32, 32);
    expect(v8).toMatchObject({ writer: anchorFreeExport, anchorsPerLevel: 0, outputsPerAnchor: 19, boxes: 16 + 4 });
    expect(() => headLayout(modelWith({ ...V5_HEAD, anchors: [[[10, 13]]] }), 64, 64)).toThrow('tiny: an anchor-based head needs anchors for each of its 2 levels');
    expect(() => headLayout(modelWith({ kind: 'anchor-free', numClasses: 3, strides: [8] }), 64, 64)).toThrow('tiny: an anchor-free head needs its DFL bins (regMax)');
  });

  it('rearranges NHWC maps as the raw outputs: [B, na, H, W, no] per level, or [B, C, N] over all levels', () => {
    const layout = headLayout(modelWith({ ...V5_HEAD, strides: [8], anchors: [[[10, 13], [16, 30]]] }), 8, 16);
    // One level of 1 x 2 cells, 2 anchors x 6 channels: value = 100 x cell + channel.
    const map = tf.tensor4d(Array.from({ length: 24 }, (_, i) => 100 * Math.floor(i / 12) + (i % 12)), [1, 1, 2, 12]);
    const [raw] = anchorBasedExport.rawReference([map], layout);
    expect(raw?.shape).toEqual([1, 2, 1, 2, 6]);
    const values = raw?.arraySync() as number[][][][][];
    expect(values[0]?.[1]?.[0]?.[1]).toEqual([106, 107, 108, 109, 110, 111]); // anchor 1, cell x = 1
    const free = headLayout(modelWith({ kind: 'anchor-free', numClasses: 1, strides: [8, 16], regMax: 1 }), 16, 16);
    const maps = [tf.tensor4d(Array.from({ length: 20 }, (_, i) => i), [1, 2, 2, 5]), tf.tensor4d([90, 91, 92, 93, 94], [1, 1, 1, 5])];
    const [rows] = anchorFreeExport.rawReference(maps, free);
    expect(rows?.shape).toEqual([1, 5, 5]);
    expect((rows?.arraySync() as number[][][])[0]?.[2]).toEqual([2, 7, 12, 17, 92]); // channel 2 of every cell, levels in order
    tf.dispose([map, raw as tf.Tensor, ...maps, rows as tf.Tensor]);
  });
});
