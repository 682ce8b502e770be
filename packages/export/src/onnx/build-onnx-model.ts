import type { DetectionModel } from '@yolo-distill/core';
import { OnnxModelBuilder, type OnnxDim } from '@yolo-distill/yolo';
import { EFFICIENT_NMS, EFFICIENT_NMS_INPUTS, efficientNmsHead } from './efficient-nms-head.js';
import { headLayout, type HeadLayout } from './head-layout.js';
import { nonMaxSuppressionHead, NMS_COLUMNS, type NmsSettings } from './nms-head.js';
import { OnnxEmitter } from './onnx-emitter.js';
import { writeGraphOps } from './write-graph-ops.js';

/**
 * What the graph returns: the decoded boxes (default), the raw head only, the boxes after ONNX's
 * NonMaxSuppression, or TensorRT's EfficientNMS_TRT plugin outputs (`efficient-nms`).
 */
export type OnnxOutputMode = 'decoded' | 'raw' | 'nms' | 'efficient-nms';

export const ONNX_OPSETS = [13, 17] as const;
export type OnnxOpset = (typeof ONNX_OPSETS)[number];

export interface OnnxModelOptions {
  readonly opset: OnnxOpset;
  /** `[height, width]` of the input images. */
  readonly imageSize: readonly [number, number];
  /** A symbolic batch dim (`batch`) instead of a static one. */
  readonly dynamic: boolean;
  /** The static batch size (ignored when `dynamic`); default 1, as upstream exports. */
  readonly batch?: number;
  readonly output: OnnxOutputMode;
  /** NMS settings, for `output: 'nms'`. */
  readonly nms?: NmsSettings;
  /** metadata_props (Ultralytics' `stride`, `names`, `imgsz`, ...). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly producerVersion?: string;
}

/** One graph output and what it holds. */
export interface OnnxOutputSpec {
  readonly name: string;
  /**
   * `decoded`: the decode in the upstream layout; `raw`: a raw head level; `detections`: NMS rows;
   * `boxes` / `scores`: the decoded boxes (cx, cy, w, h) `[B, N, 4]` and class scores `[B, N, nc]`
   * fed to EfficientNMS_TRT; `plugin`: an output of that plugin (TensorRT computes it, onnxruntime cannot).
   */
  readonly kind: 'decoded' | 'raw' | 'detections' | 'boxes' | 'scores' | 'plugin';
  readonly dims: readonly OnnxDim[];
  /** Element type; float32 unless given (EfficientNMS_TRT's counts and classes are int32). */
  readonly elemType?: 'float32' | 'int32';
}

export interface BuiltOnnxModel {
  readonly bytes: Uint8Array;
  readonly input: { readonly name: string; readonly dims: readonly OnnxDim[] };
  readonly outputs: readonly OnnxOutputSpec[];
  /** The decoded tensor inside an NMS graph (a parity check adds it as an output). */
  readonly decodedTensor?: string;
  /** With EfficientNMS_TRT: its inputs, what a parity check runs the graph up to (the plugin needs TensorRT). */
  readonly pluginInputs?: readonly OnnxOutputSpec[];
  readonly layout: HeadLayout;
}

/**
 * A model's ONNX graph, written from its own graph description (`DetectionModel.graph()`), not traced:
 * input `images` `[B, 3, H, W]` float32 NCHW, the layers with BatchNorm folded into the convs, then the
 * head: decoded in the graph in Ultralytics' layout (`output0` `[B, N, 5 + nc]` anchor-based,
 * `[B, 4 + nc, N]` anchor-free), or raw (`output0..k` `[B, na, H, W, 5 + nc]` per level; anchor-free one
 * `output0` `[B, 4 * reg_max + nc, N]`), or decoded then NMS (`detections` `[K, 7]`), or decoded then
 * TensorRT's EfficientNMS_TRT (`num_dets`, `det_boxes`, `det_scores`, `det_classes`).
 */
export function buildOnnxModel(model: DetectionModel, options: OnnxModelOptions): BuiltOnnxModel {
  if (!model.graph) throw new Error(`${model.name}: the model does not describe its graph (DetectionModel.graph), so it cannot be exported to ONNX`);
  const graph = model.graph();
  const [height, width] = options.imageSize;
  const layout = headLayout(model, height, width);
  if (graph.head.length !== layout.head.strides.length) throw new Error(`${model.name}: the graph has ${graph.head.length} head maps but the head describes ${layout.head.strides.length} levels`);
  const batch: OnnxDim = options.dynamic ? 'batch' : (options.batch ?? 1);
  const builder = new OnnxModelBuilder({
    opset: options.opset,
    ...(options.output === 'efficient-nms' ? { extraOpsets: { [EFFICIENT_NMS.domain]: 1 } } : {}),
    producerName: 'yolo-distill', ...(options.producerVersion ? { producerVersion: options.producerVersion } : {}), graphName: model.name, docString: `${model.name} exported by yolo-distill`,
  });
  const emitter = new OnnxEmitter(builder);
  const inputDims: OnnxDim[] = [batch, graph.inputChannels, height, width];
  builder.input(graph.input, inputDims);
  writeGraphOps(emitter, graph);
  const headScope = '/head';
  const outputs: OnnxOutputSpec[] = [];
  const rename = (tensor: string, name: string, kind: OnnxOutputSpec['kind'], dims: readonly OnnxDim[]) => {
    emitter.node('Identity', `/${name}`, [tensor], [name]);
    builder.output(name, dims);
    outputs.push({ name, kind, dims });
  };
  const writer = layout.writer.onnx;
  let decodedTensor: string | undefined;
  let pluginInputs: OnnxOutputSpec[] | undefined;
  if (options.output === 'raw') {
    writer.raw(emitter, layout, graph.head, headScope, batch).forEach((level, i) => rename(level.tensor, `output${i}`, 'raw', level.dims));
  } else {
    const { tensor: decoded, dims: decodedDims } = writer.decode(emitter, layout, graph.head, headScope, batch);
    if (options.output === 'decoded') rename(decoded, 'output0', 'decoded', decodedDims);
    else if (options.output === 'efficient-nms') {
      if (!options.nms) throw new Error(`${model.name}: an export with EfficientNMS_TRT needs its settings (conf, iou, max detections)`);
      const plugin = efficientNmsHead(emitter, layout, decoded, options.nms, batch, '/end2end');
      for (const t of plugin.outputs) {
        builder.output(t.name, t.dims, t.elemType);
        outputs.push({ name: t.name, kind: 'plugin', dims: t.dims, elemType: t.elemType });
      }
      pluginInputs = plugin.inputs.map((t) => ({ name: t.name, kind: t.name === EFFICIENT_NMS_INPUTS.boxes ? 'boxes' : 'scores', dims: t.dims }));
    } else {
      if (!options.nms) throw new Error(`${model.name}: an export with NMS needs its settings (conf, iou, max detections)`);
      rename(nonMaxSuppressionHead(emitter, layout, decoded, options.nms, '/nms'), 'detections', 'detections', ['detections', NMS_COLUMNS.length]);
      decodedTensor = decoded;
    }
  }
  builder.metadata(options.metadata);
  return { bytes: builder.encode(), input: { name: graph.input, dims: inputDims }, outputs, layout, ...(decodedTensor ? { decodedTensor } : {}), ...(pluginInputs ? { pluginInputs } : {}) };
}
