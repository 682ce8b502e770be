import * as tf from '@tensorflow/tfjs-core';
import { anchorFreeRows, decodeAnchorFree } from '../onnx/anchor-free-head.js';
import { tfAnchorFreeRows, tfDecodeAnchorFree } from '../tfjs/tf-heads.js';
import type { ExportHeadKind } from './export-head-kind.js';
import { splitOnnx } from './split-onnx.js';

/** The anchor-free head (v8) as Ultralytics exports it: raw `[B, 4 * reg_max + nc, N]`, decoded `[B, 4 + nc, N]`. */
export const anchorFreeExport: ExportHeadKind = {
  name: 'anchor-free',
  shape: (head) => {
    if (!head.regMax) throw new Error('an anchor-free head needs its DFL bins (regMax)');
    return { anchorsPerLevel: 0, outputsPerAnchor: 4 * head.regMax + head.numClasses, rowsPerCell: 1 };
  },
  onnx: {
    raw: (emitter, layout, maps, scope, batch) => [{ tensor: anchorFreeRows(emitter, layout, maps, scope), dims: [batch, layout.outputsPerAnchor, layout.boxes] }],
    decode: (emitter, layout, maps, scope, batch) => ({
      tensor: decodeAnchorFree(emitter, layout, anchorFreeRows(emitter, layout, maps, scope), scope),
      dims: [batch, 4 + layout.head.numClasses, layout.boxes],
    }),
    boxesAndScores: (emitter, layout, decoded, scope) => {
      const rows = emitter.op('Transpose', `${scope}/Transpose`, [decoded], { perm: [0, 2, 1] });
      const [xywh, scores] = splitOnnx(emitter, rows, [4, layout.head.numClasses], 2, scope) as [string, string];
      return { xywh, scores };
    },
  },
  tfjs: {
    raw: (emitter, layout, maps, scope, batch) => [
      { tensor: emitter.transpose(`${scope}/transpose`, tfAnchorFreeRows(emitter, layout, maps, scope), [0, 2, 1]), dims: [batch, layout.outputsPerAnchor, layout.boxes] },
    ],
    decode: (emitter, layout, maps, scope, batch) => ({
      tensor: tfDecodeAnchorFree(emitter, layout, tfAnchorFreeRows(emitter, layout, maps, scope), scope),
      dims: [batch, 4 + layout.head.numClasses, layout.boxes],
    }),
  },
  rawReference: (maps) =>
    tf.tidy(() => {
      const rows = maps.map((map) => tf.reshape(map, [map.shape[0], map.shape[1] * map.shape[2], map.shape[3]]));
      return [tf.transpose(tf.concat(rows, 1), [0, 2, 1])];
    }),
};
