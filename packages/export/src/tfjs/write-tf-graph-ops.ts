import type { GraphConv, GraphMaxPool, GraphOp, ModelGraph, Tensor } from '@yolo-distill/core';
import { graphConvValues } from '../graph-conv-values.js';
import { foldConvHwio } from '../onnx/fold-batch-norm.js';
import { attr, type TfGraphEmitter } from './tf-graph-emitter.js';

/** The graph description's tensor names as GraphDef node names (no leading `/`, which TensorFlow's names cannot start with). */
export function tfName(tensor: string): string {
  return tensor.replace(/^\/+/, '');
}

/** The lowest float32: MaxPool's padding value (padded cells never win, as PyTorch's -inf padding). */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

/**
 * Writes the ops of a model's graph description as TensorFlow nodes on NHWC maps, as tfjs-converter
 * runs them: each conv one `_FusedConv2D` (HWIO kernel with the BatchNorm folded in, `BiasAdd`, ReLU
 * and LeakyReLU fused; PyTorch's symmetric padding as `EXPLICIT`), SiLU as `Sigmoid` * `Mul`, `AddV2`,
 * `ConcatV2` / `SplitV` over channels, `MaxPool` (`SAME` when that is PyTorch's padding, else `PadV2`
 * with the lowest float then `VALID`), nearest `ResizeNearestNeighbor` (floor: no corner alignment, no
 * half-pixel centres). Spatial sizes are followed op by op from the input size (a resize needs its
 * output size); returns them by tensor.
 */
export function writeTfGraphOps(emitter: TfGraphEmitter, graph: ModelGraph, input: string, imageSize: readonly [number, number]): Map<string, readonly [number, number]> {
  const sizes = new Map<string, readonly [number, number]>([[graph.input, imageSize]]);
  const names = new Map<string, string>([[graph.input, input]]);
  emitter.reserve(graph.ops.flatMap((op) => (op.op === 'split' ? op.outputs : [op.output])).map(tfName));
  const nameOf = (tensor: string): string => {
    const name = names.get(tensor);
    if (name === undefined) throw new Error(`the graph reads '${tensor}' before any op writes it`);
    return name;
  };
  const sizeOf = (tensor: string): readonly [number, number] => sizes.get(tensor) as readonly [number, number];
  for (const op of graph.ops) {
    const outputs = writeOp(emitter, graph, op, nameOf, sizeOf);
    const produced = op.op === 'split' ? op.outputs : [op.output];
    produced.forEach((tensor, k) => {
      names.set(tensor, outputs[k] as string);
      sizes.set(tensor, outputSize(graph, op, sizeOf));
    });
  }
  return new Map([...sizes].map(([tensor, size]) => [nameOf(tensor), size]));
}

function outputSize(graph: ModelGraph, op: GraphOp, sizeOf: (tensor: string) => readonly [number, number]): readonly [number, number] {
  const window = (size: number, kernel: number, stride: number, padding: number, dilation: number) => Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
  switch (op.op) {
    case 'conv': {
      const [kh, kw] = (graph.weights[op.weight] as Tensor).shape as [number, number];
      const [h, w] = sizeOf(op.input);
      return [window(h, kh, op.stride, op.padding, op.dilation), window(w, kw, op.stride, op.padding, op.dilation)];
    }
    case 'maxPool': {
      const [h, w] = sizeOf(op.input);
      return [window(h, op.kernel, op.stride, op.padding, 1), window(w, op.kernel, op.stride, op.padding, 1)];
    }
    case 'upsample': {
      const [h, w] = sizeOf(op.input);
      return [h * op.scale, w * op.scale];
    }
    case 'split':
      return sizeOf(op.input);
    default:
      return sizeOf(op.inputs[0]);
  }
}

function writeOp(emitter: TfGraphEmitter, graph: ModelGraph, op: GraphOp, nameOf: (tensor: string) => string, sizeOf: (tensor: string) => readonly [number, number]): string[] {
  switch (op.op) {
    case 'conv':
      return [writeConv(emitter, graph, op, nameOf(op.input))];
    case 'add':
      return [emitter.node(tfName(op.output), 'AddV2', op.inputs.map(nameOf), { T: attr.type() })];
    case 'concat':
      return [emitter.node(tfName(op.output), 'ConcatV2', [...op.inputs.map(nameOf), emitter.axis(3)], { T: attr.type(), Tidx: attr.type('int32'), N: attr.int(op.inputs.length) })];
    case 'split': {
      const name = emitter.node(tfName(op.outputs[0] as string), 'SplitV', [nameOf(op.input), emitter.ints(op.channels), emitter.axis(3)], {
        T: attr.type(),
        Tlen: attr.type('int32'),
        num_split: attr.int(op.channels.length),
      });
      return op.channels.map((_, k) => (k === 0 ? name : `${name}:${k}`));
    }
    case 'maxPool':
      return [writeMaxPool(emitter, op, nameOf(op.input))];
    case 'upsample': {
      const [h, w] = sizeOf(op.input);
      return [
        emitter.node(tfName(op.output), 'ResizeNearestNeighbor', [nameOf(op.input), emitter.ints([h * op.scale, w * op.scale])], {
          T: attr.type(),
          align_corners: attr.bool(false),
          half_pixel_centers: attr.bool(false),
        }),
      ];
    }
  }
}

function writeMaxPool(emitter: TfGraphEmitter, op: GraphMaxPool, input: string): string {
  const pool = (x: string, padding: 'SAME' | 'VALID') =>
    emitter.node(tfName(op.output), 'MaxPool', [x], {
      T: attr.type(),
      ksize: attr.ints([1, op.kernel, op.kernel, 1]),
      strides: attr.ints([1, op.stride, op.stride, 1]),
      padding: attr.string(padding),
      data_format: attr.string('NHWC'),
    });
  // At stride 1 with an odd kernel and padding k // 2, TensorFlow's SAME pads the same cells PyTorch does, and ignores them.
  if (op.stride === 1 && op.kernel % 2 === 1 && op.padding === (op.kernel - 1) / 2) return pool(input, 'SAME');
  if (op.padding === 0) return pool(input, 'VALID');
  const p = op.padding;
  const padded = emitter.op('PadV2', `${tfName(op.output)}/pad`, [input, emitter.constant(`const/pads_${p}`, Int32Array.of(0, 0, p, p, p, p, 0, 0), [4, 2]), emitter.scalar(LOWEST_FLOAT32)], {
    T: attr.type(),
    Tpaddings: attr.type('int32'),
  });
  return pool(padded, 'VALID');
}

function writeConv(emitter: TfGraphEmitter, graph: ModelGraph, op: GraphConv, input: string): string {
  const c = graphConvValues(graph, op);
  const folded = foldConvHwio(c.kernel, c.shape, c.bias, c.bn);
  const weight = emitter.constant(op.weight, folded.weight, folded.dims);
  const bias = emitter.constant(op.bias ?? op.weight.replace(/weight$/, 'bias'), folded.bias, [folded.dims[3]]);
  const act = op.activation;
  const fused = act.kind === 'relu' ? ['BiasAdd', 'Relu'] : act.kind === 'leaky-relu' ? ['BiasAdd', 'LeakyRelu'] : ['BiasAdd'];
  const p = op.padding;
  const attrs = {
    T: attr.type(),
    num_args: attr.int(1),
    strides: attr.ints([1, op.stride, op.stride, 1]),
    padding: attr.string(p === 0 ? 'VALID' : 'EXPLICIT'),
    ...(p === 0 ? {} : { explicit_paddings: attr.ints([0, 0, p, p, p, p, 0, 0]) }),
    data_format: attr.string('NHWC'),
    dilations: attr.ints([1, op.dilation, op.dilation, 1]),
    fused_ops: attr.strings(fused),
    ...(act.kind === 'leaky-relu' ? { leakyrelu_alpha: attr.float(act.alpha) } : {}),
  };
  const output = tfName(op.output);
  if (act.kind !== 'silu') return emitter.node(output, '_FusedConv2D', [input, weight, bias], attrs);
  const y = emitter.op('_FusedConv2D', `${output}/conv`, [input, weight, bias], attrs);
  const sigmoid = emitter.float('Sigmoid', `${output}/sigmoid`, [y]);
  return emitter.node(output, 'Mul', [y, sigmoid], { T: attr.type() });
}
