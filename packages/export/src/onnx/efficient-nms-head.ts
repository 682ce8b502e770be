import type { OnnxDim } from '@yolo-distill/yolo';
import type { HeadLayout } from './head-layout.js';
import type { NmsSettings } from './nms-head.js';
import type { OnnxEmitter } from './onnx-emitter.js';

/** TensorRT's plugin: op type, the domain its ONNX parser reads it from (as YOLOv7's `TRT::EfficientNMS_TRT`), plugin version. */
export const EFFICIENT_NMS = { opType: 'EfficientNMS_TRT', domain: 'TRT', pluginVersion: '1' } as const;

/** The plugin's inputs: boxes `[B, N, 4]` (cx, cy, w, h pixels: box_coding 1) and per-class scores `[B, N, nc]`. */
export const EFFICIENT_NMS_INPUTS = { boxes: 'boxes', scores: 'scores' } as const;

/** One tensor of the plugin's interface. */
export interface PluginTensor {
  readonly name: string;
  readonly elemType: 'float32' | 'int32';
  readonly dims: readonly OnnxDim[];
}

export interface EfficientNmsGraph {
  /** num_dets int32 `[B, 1]`, det_boxes `[B, max, 4]` (x1, y1, x2, y2), det_scores `[B, max]`, det_classes int32 `[B, max]`. */
  readonly outputs: readonly PluginTensor[];
  /** boxes and scores, the plugin's inputs (what onnxruntime can check). */
  readonly inputs: readonly PluginTensor[];
}

/**
 * TensorRT's EfficientNMS_TRT over the decoded output, as YOLOv7's `--end2end` TensorRT export
 * writes it: boxes `cx, cy, w, h` (box_coding 1; the plugin outputs corners), scores objectness x
 * class (anchor-based) or the class sigmoid (anchor-free), no background class, scores already
 * activated (score_activation 0), per-class NMS. onnxruntime cannot run the plugin; its inputs are
 * named tensors with declared shapes so that a checker can run the graph up to them.
 */
export function efficientNmsHead(emitter: OnnxEmitter, layout: HeadLayout, decoded: string, settings: NmsSettings, batch: OnnxDim, scope: string): EfficientNmsGraph {
  const nc = layout.head.numClasses;
  const n = layout.boxes;
  const { xywh, scores } = layout.writer.onnx.boxesAndScores(emitter, layout, decoded, scope);
  const inputs: PluginTensor[] = [
    { name: EFFICIENT_NMS_INPUTS.boxes, elemType: 'float32', dims: [batch, n, 4] },
    { name: EFFICIENT_NMS_INPUTS.scores, elemType: 'float32', dims: [batch, n, nc] },
  ];
  emitter.reserve(inputs.map((t) => t.name));
  emitter.node('Identity', `${scope}/boxes`, [xywh], [EFFICIENT_NMS_INPUTS.boxes]);
  emitter.node('Identity', `${scope}/scores`, [scores], [EFFICIENT_NMS_INPUTS.scores]);
  for (const t of inputs) emitter.builder.valueInfo(t.name, t.dims, t.elemType);
  const max = settings.maxDetections;
  const outputs: PluginTensor[] = [
    { name: 'num_dets', elemType: 'int32', dims: [batch, 1] },
    { name: 'det_boxes', elemType: 'float32', dims: [batch, max, 4] },
    { name: 'det_scores', elemType: 'float32', dims: [batch, max] },
    { name: 'det_classes', elemType: 'int32', dims: [batch, max] },
  ];
  emitter.reserve(outputs.map((t) => t.name));
  emitter.node(
    EFFICIENT_NMS.opType,
    `${scope}/${EFFICIENT_NMS.opType}`,
    inputs.map((t) => t.name),
    outputs.map((t) => t.name),
    {
      background_class: -1,
      box_coding: 1,
      iou_threshold: { float: settings.iouThreshold },
      max_output_boxes: max,
      plugin_version: EFFICIENT_NMS.pluginVersion,
      score_activation: 0,
      score_threshold: { float: settings.confThreshold },
    },
    EFFICIENT_NMS.domain,
  );
  return { outputs, inputs };
}
