import { splitOnnx } from '../heads/split-onnx.js';
import type { OnnxEmitter } from './onnx-emitter.js';
import type { HeadLayout } from './head-layout.js';

export interface NmsSettings {
  /** Scores must be above this (Ultralytics' predictor: 0.25). */
  readonly confThreshold: number;
  /** A box is dropped when its IoU with a kept box of its class is above this. */
  readonly iouThreshold: number;
  /** Detections kept per image. */
  readonly maxDetections: number;
}

/** Ultralytics' `max_wh`: boxes are shifted by `class * 7680` so one NMS call suppresses within classes only. */
export const CLASS_OFFSET = 7680;

/** Columns of the NMS output rows. */
export const NMS_COLUMNS = ['batch', 'x1', 'y1', 'x2', 'y2', 'score', 'class'] as const;

/**
 * ONNX NonMaxSuppression over the decoded output, as Ultralytics' `non_max_suppression` (single label):
 * per box the best class score (the head kind's confidence: anchor-based objectness x class), boxes
 * `xyxy` offset by class, one NMS call per image, then the kept rows gathered: `[K, 7]` = batch index,
 * x1, y1, x2, y2 (pixels), score, class, images in order, each by descending score.
 */
export function nonMaxSuppressionHead(emitter: OnnxEmitter, layout: HeadLayout, decoded: string, settings: NmsSettings, scope: string): string {
  const n = layout.boxes;
  const split = (input: string, sizes: readonly number[], axis: number): string[] => splitOnnx(emitter, input, sizes, axis, scope);
  const { xywh, scores } = layout.writer.onnx.boxesAndScores(emitter, layout, decoded, scope);
  const best = emitter.op('ReduceMax', `${scope}/ReduceMax`, [scores], { axes: [2], keepdims: 1 });
  const label = emitter.op('Cast', `${scope}/Cast`, [emitter.op('ArgMax', `${scope}/ArgMax`, [scores], { axis: 2, keepdims: 1 })], { to: 1 });
  const [centre, size] = split(xywh, [2, 2], 2) as [string, string];
  const half = emitter.op('Div', `${scope}/Div`, [size, emitter.scalar(2)]);
  const corners = emitter.op('Concat', `${scope}/Concat`, [emitter.op('Sub', `${scope}/Sub`, [centre, half]), emitter.op('Add', `${scope}/Add`, [centre, half])], { axis: 2 });
  const shifted = emitter.op('Add', `${scope}/Add`, [corners, emitter.op('Mul', `${scope}/Mul`, [label, emitter.scalar(CLASS_OFFSET)])]);
  const nmsScores = emitter.op('Transpose', `${scope}/Transpose`, [best], { perm: [0, 2, 1] });
  const selected = emitter.op('NonMaxSuppression', `${scope}/NonMaxSuppression`, [
    shifted,
    nmsScores,
    emitter.constant(`${scope}.max_detections`, [settings.maxDetections], [1]),
    emitter.constant(`${scope}.iou_threshold`, Float32Array.of(settings.iouThreshold), [1]),
    emitter.constant(`${scope}.score_threshold`, Float32Array.of(settings.confThreshold), [1]),
  ], { center_point_box: 0 });
  const [imageIndex, , boxIndex] = split(selected, [1, 1, 1], 1) as [string, string, string];
  const flatIndex = emitter.op('Squeeze', `${scope}/Squeeze`, [emitter.op('Add', `${scope}/Add`, [emitter.op('Mul', `${scope}/Mul`, [imageIndex, emitter.constant(`${scope}.boxes_per_image`, [n], [1])]), boxIndex]), emitter.ints([1])]);
  const gather = (values: string, width: number) => emitter.op('Gather', `${scope}/Gather`, [emitter.op('Reshape', `${scope}/Reshape`, [values, emitter.ints([-1, width])]), flatIndex], { axis: 0 });
  const batch = emitter.op('Cast', `${scope}/Cast`, [imageIndex], { to: 1 });
  return emitter.op('Concat', `${scope}/Concat`, [batch, gather(corners, 4), gather(best, 1), gather(label, 1)], { axis: 1 });
}
