// Decoding an ONNX teacher's head maps the way DetectionModel.decode does.
import type * as tf from '@tensorflow/tfjs-core';
import { decodeDetections } from '../heads/decode.js';
import { headKind } from '../heads/kinds/head-kinds.js';
import type { OnnxValueInfo } from '../onnx/onnx-model.js';
import type { DetectHeadLayout } from './detect-head-layout.js';

/** Raw NHWC head maps -> `[B, N, 4 + nc]` (cx, cy, w, h in input pixels, then class confidences). */
export type HeadDecoder = (maps: readonly tf.Tensor4D[]) => tf.Tensor3D;

/**
 * The decoder of a head, or undefined when the file does not tell what decoding needs: anchor-based
 * heads need the anchors and strides of the export's own decode; anchor-free heads need the strides,
 * taken from the static input height (`height / map height`) or else from the `stride` metadata
 * (Ultralytics writes the coarsest level's).
 */
export function headDecoder(head: DetectHeadLayout, input: OnnxValueInfo, metadata: Readonly<Record<string, string>>): HeadDecoder | undefined {
  const checked = (decode: HeadDecoder): HeadDecoder => (maps) => {
    if (maps.length !== head.levels.length || maps.some((map) => map.rank !== 4)) {
      throw new Error(`decode expects ${head.levels.length} raw NHWC head maps, got ${maps.length} tensor(s) of rank ${maps.map((map) => map.rank).join(', ')}`);
    }
    return decode(maps);
  };
  const { numClasses } = head;
  if (head.kind === 'anchor-based') {
    const spec = head.anchors && head.strides ? headKind(head.kind).specOf({ kind: head.kind, numClasses, strides: head.strides, anchors: head.anchors }) : undefined;
    if (!spec) return undefined;
    return checked((maps) => decodeDetections(maps, spec));
  }
  const inputHeight = input.dims?.[2];
  const coarsest = Number(metadata['stride']);
  if (typeof inputHeight !== 'number' && !(coarsest > 0)) return undefined;
  return checked((maps) => {
    const heights = maps.map((map) => map.shape[1]);
    const last = heights[heights.length - 1] as number;
    const strides = heights.map((height) => (typeof inputHeight === 'number' ? inputHeight / height : (coarsest * last) / height));
    const regMax = head.regMax ?? ((maps[0] as tf.Tensor4D).shape[3] - numClasses) / 4;
    return decodeDetections(maps, { kind: 'anchor-free', numClasses, strides, regMax });
  });
}
