import type { GraphConv, GraphOp, ModelGraph } from '@yolo-distill/core';
import { graphConvValues } from '../graph-conv-values.js';
import { scopePath } from '@yolo-distill/yolo';
import { foldConv } from './fold-batch-norm.js';
import type { OnnxEmitter } from './onnx-emitter.js';

/**
 * Writes the ops of a model's graph description as ONNX nodes on NCHW maps: each conv with its
 * BatchNorm folded in (initializers `<prefix>.conv.weight|bias`, as Ultralytics' fused exports name
 * them; a plain conv keeps `<prefix>.weight|bias`), SiLU as Sigmoid * Mul, LeakyReLU, ReLU; Add, Concat
 * and Split over channels, MaxPool, nearest Resize. The input and head tensors keep the graph's names.
 */
export function writeGraphOps(emitter: OnnxEmitter, graph: ModelGraph): void {
  emitter.reserve([graph.input, ...graph.ops.flatMap(outputsOf)]);
  for (const op of graph.ops) writeOp(emitter, graph, op);
}

function outputsOf(op: GraphOp): readonly string[] {
  return op.op === 'split' ? op.outputs : [op.output];
}

function writeOp(emitter: OnnxEmitter, graph: ModelGraph, op: GraphOp): void {
  const path = scopePath(op.scope);
  switch (op.op) {
    case 'conv':
      return writeConv(emitter, graph, op);
    case 'add':
      return emitter.node('Add', `${path}/Add`, op.inputs, [op.output]);
    case 'concat':
      return emitter.node('Concat', `${path}/Concat`, op.inputs, [op.output], { axis: 1 });
    case 'split':
      return emitter.node('Split', `${path}/Split`, [op.input, emitter.ints(op.channels)], op.outputs, { axis: 1 });
    case 'maxPool':
      return emitter.node('MaxPool', `${path}/MaxPool`, [op.input], [op.output], {
        kernel_shape: [op.kernel, op.kernel],
        strides: [op.stride, op.stride],
        pads: [op.padding, op.padding, op.padding, op.padding],
      });
    case 'upsample':
      return emitter.node('Resize', `${path}/Resize`, [op.input, '', emitter.constant(`resize_scales_${op.scale}`, Float32Array.of(1, 1, op.scale, op.scale), [4])], [op.output], {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      });
  }
}

function writeConv(emitter: OnnxEmitter, graph: ModelGraph, op: GraphConv): void {
  const c = graphConvValues(graph, op);
  const folded = foldConv(c.kernel, c.shape, c.bias, c.bn);
  const weightName = emitter.constant(op.weight, folded.weight, folded.dims);
  const biasName = emitter.constant(op.bias ?? op.weight.replace(/weight$/, 'bias'), folded.bias, [folded.dims[0]]);
  const path = scopePath(op.scope);
  const [, , kh, kw] = folded.dims;
  const attributes = { dilations: [op.dilation, op.dilation], group: 1, kernel_shape: [kh, kw], pads: [op.padding, op.padding, op.padding, op.padding], strides: [op.stride, op.stride] };
  const act = op.activation;
  if (act.kind === 'identity') return emitter.node('Conv', op.batchNorm ? `${path}/conv/Conv` : `${path}/Conv`, [op.input, weightName, biasName], [op.output], attributes);
  const y = emitter.op('Conv', `${path}/conv/Conv`, [op.input, weightName, biasName], attributes);
  if (act.kind === 'silu') {
    const sigmoid = emitter.op('Sigmoid', `${path}/act/Sigmoid`, [y]);
    return emitter.node('Mul', `${path}/act/Mul`, [y, sigmoid], [op.output]);
  }
  if (act.kind === 'relu') return emitter.node('Relu', `${path}/act/Relu`, [y], [op.output]);
  return emitter.node('LeakyRelu', `${path}/act/LeakyRelu`, [y], [op.output], { alpha: { float: act.alpha } });
}
