import type { DetectionModel } from '@yolo-distill/core';
import { headLayout, type HeadLayout } from '../onnx/head-layout.js';
import { attr, TfGraphEmitter, tfShape, type TfConstant, type TfNode } from './tf-graph-emitter.js';
import { writeTfGraphOps, tfName } from './write-tf-graph-ops.js';

/** What a TF.js graph returns: the decoded boxes in Ultralytics' layout (default) or the raw head. */
export type TfjsOutputMode = 'decoded' | 'raw';

export interface TfjsGraphOptions {
  /** `[height, width]` of the input images. */
  readonly imageSize: readonly [number, number];
  /** A batch of any size (`-1`) instead of a static one. */
  readonly dynamic: boolean;
  /** The static batch size (ignored when `dynamic`); default 1. */
  readonly batch?: number;
  readonly output: TfjsOutputMode;
}

/** One output of the graph (the signature's key and node name) and what it holds; `-1` is a free batch. */
export interface TfjsOutputSpec {
  readonly name: string;
  readonly kind: 'decoded' | 'raw';
  readonly dims: readonly number[];
}

/** The signature entry of a tensor, as TensorFlow's converter writes `signature.inputs|outputs`. */
export interface TfTensorInfo {
  readonly name: string;
  readonly dtype: 'DT_FLOAT';
  readonly tensorShape: ReturnType<typeof tfShape>;
}

export interface BuiltTfjsGraph {
  /** model.json's `modelTopology`: a GraphDef in JSON. */
  readonly topology: { readonly node: readonly TfNode[]; readonly library: Record<string, never>; readonly versions: { readonly producer: number } };
  readonly signature: { readonly inputs: Readonly<Record<string, TfTensorInfo>>; readonly outputs: Readonly<Record<string, TfTensorInfo>> };
  /** Every `Const` node's values, in node order (the weights manifest). */
  readonly constants: readonly TfConstant[];
  readonly input: { readonly name: string; readonly dims: readonly number[] };
  readonly outputs: readonly TfjsOutputSpec[];
  readonly layout: HeadLayout;
}

/** TensorFlow's GraphDef producer version the nodes follow (ops as of TF 2.x). */
const GRAPH_DEF_PRODUCER = 1395;

/**
 * A model's TF.js graph, written from its own graph description (`DetectionModel.graph()`) like the
 * ONNX export: input `images` `[B, H, W, 3]` float32 NHWC in 0..1 (the tfjs model's layout, as
 * Ultralytics' TF.js exports), the layers with BatchNorm folded into the convs, then the head in
 * Ultralytics' layout: decoded (`output0` `[B, N, 5 + nc]` anchor-based, `[B, 4 + nc, N]` anchor-free)
 * or raw (`output0..k` `[B, na, H, W, 5 + nc]` per level; anchor-free `output0` `[B, 4 * reg_max + nc, N]`).
 */
export function buildTfjsGraph(model: DetectionModel, options: TfjsGraphOptions): BuiltTfjsGraph {
  if (!model.graph) throw new Error(`${model.name}: the model does not describe its graph (DetectionModel.graph), so it cannot be exported to TF.js`);
  const graph = model.graph();
  const [height, width] = options.imageSize;
  const layout = headLayout(model, height, width);
  if (graph.head.length !== layout.head.strides.length) throw new Error(`${model.name}: the graph has ${graph.head.length} head maps but the head describes ${layout.head.strides.length} levels`);
  const batch = options.dynamic ? -1 : (options.batch ?? 1);
  const emitter = new TfGraphEmitter();
  const inputDims = [batch, height, width, graph.inputChannels];
  const input = emitter.node(tfName(graph.input), 'Placeholder', [], { dtype: attr.type(), shape: attr.shape(inputDims) });
  writeTfGraphOps(emitter, graph, input, [height, width]);
  const maps = graph.head.map(tfName);
  const outputs: TfjsOutputSpec[] = [];
  const output = (tensor: string, name: string, kind: TfjsOutputSpec['kind'], dims: readonly number[]) => {
    emitter.node(name, 'Identity', [tensor], { T: attr.type() });
    outputs.push({ name, kind, dims });
  };
  const scope = 'head';
  if (options.output === 'raw') {
    layout.writer.tfjs.raw(emitter, layout, maps, scope, batch).forEach((level, i) => output(level.tensor, `output${i}`, 'raw', level.dims));
  } else {
    const decoded = layout.writer.tfjs.decode(emitter, layout, maps, scope, batch);
    output(decoded.tensor, 'output0', 'decoded', decoded.dims);
  }
  const info = (name: string, dims: readonly number[]): TfTensorInfo => ({ name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: tfShape(dims) });
  return {
    topology: { node: emitter.nodes, library: {}, versions: { producer: GRAPH_DEF_PRODUCER } },
    signature: { inputs: { [input]: info(input, inputDims) }, outputs: Object.fromEntries(outputs.map((o) => [o.name, info(o.name, o.dims)])) },
    constants: emitter.constants,
    input: { name: input, dims: inputDims },
    outputs,
    layout,
  };
}
