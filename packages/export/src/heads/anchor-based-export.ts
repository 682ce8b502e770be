import * as tf from '@tensorflow/tfjs-core';
import { anchorLevels, decodeAnchorBased } from '../onnx/anchor-based-head.js';
import { tfAnchorLevels, tfDecodeAnchorBased } from '../tfjs/tf-heads.js';
import type { ExportHeadKind } from './export-head-kind.js';
import { splitOnnx } from './split-onnx.js';

/** The anchor-based head (v3/v5/v7) as yolov5's export writes it: raw `[B, na, H, W, 5 + nc]` per level, decoded `[B, N, 5 + nc]`. */
export const anchorBasedExport: ExportHeadKind = {
  name: 'anchor-based',
  shape: (head) => {
    const na = head.anchors?.[0]?.length;
    if (!na || head.anchors?.length !== head.strides.length) throw new Error(`an anchor-based head needs anchors for each of its ${head.strides.length} levels`);
    return { anchorsPerLevel: na, outputsPerAnchor: 5 + head.numClasses, rowsPerCell: na };
  },
  onnx: {
    raw: (emitter, layout, maps, scope, batch) =>
      anchorLevels(emitter, layout, maps, scope).map((tensor, i) => {
        const [h, w] = layout.grids[i] as readonly [number, number];
        return { tensor, dims: [batch, layout.anchorsPerLevel, h, w, layout.outputsPerAnchor] };
      }),
    decode: (emitter, layout, maps, scope, batch) => ({
      tensor: decodeAnchorBased(emitter, layout, anchorLevels(emitter, layout, maps, scope), scope),
      dims: [batch, layout.boxes, layout.outputsPerAnchor],
    }),
    boxesAndScores: (emitter, layout, decoded, scope) => {
      const [xywh, objectness, classes] = splitOnnx(emitter, decoded, [4, 1, layout.head.numClasses], 2, scope) as [string, string, string];
      return { xywh, scores: emitter.op('Mul', `${scope}/Mul`, [objectness, classes]) };
    },
  },
  tfjs: {
    raw: (emitter, layout, maps, scope, batch) =>
      tfAnchorLevels(emitter, layout, maps, scope).map((tensor, i) => {
        const [h, w] = layout.grids[i] as readonly [number, number];
        return { tensor, dims: [batch, layout.anchorsPerLevel, h, w, layout.outputsPerAnchor] };
      }),
    decode: (emitter, layout, maps, scope, batch) => ({ tensor: tfDecodeAnchorBased(emitter, layout, maps, scope), dims: [batch, layout.boxes, layout.outputsPerAnchor] }),
  },
  rawReference: (maps, layout) =>
    tf.tidy(() =>
      maps.map((map) => {
        const [b, h, w] = map.shape;
        return tf.transpose(tf.reshape(map, [b, h, w, layout.anchorsPerLevel, layout.outputsPerAnchor]), [0, 3, 1, 2, 4]);
      }),
    ),
};
