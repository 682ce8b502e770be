import type { GraphConv, GraphOp, ModelGraph, Tensor } from '@yolo-distill/core';
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

function values(graph: ModelGraph, name: string, op: GraphConv): Float32Array {
  const tensor: Tensor | undefined = graph.weights[name];
  if (!tensor) throw new Error(`the graph's conv ${op.scope} names the weight '${name}', which the graph does not carry`);
  return tensor.dataSync() as Float32Array;
}

function writeConv(emitter: OnnxEmitter, graph: ModelGraph, op: GraphConv): void {
  const kernel = graph.weights[op.weight];
  if (!kernel || kernel.rank !== 4) throw new Error(`the graph's conv ${op.scope} needs a 4-D kernel '${op.weight}'`);
  if (op.groups !== 1) throw new Error(`the graph's conv ${op.scope} has groups ${op.groups}; grouped convs are not exported yet`);
  const bn = op.batchNorm && {
    gamma: values(graph, op.batchNorm.gamma, op),
    beta: values(graph, op.batchNorm.beta, op),
    mean: values(graph, op.batchNorm.mean, op),
    variance: values(graph, op.batchNorm.variance, op),
    eps: op.batchNorm.eps,
  };
  const folded = foldConv(kernel.dataSync() as Float32Array, kernel.shape, op.bias ? values(graph, op.bias, op) : undefined, bn);
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
