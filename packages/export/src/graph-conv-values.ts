import type { GraphConv, ModelGraph, Tensor } from '@yolo-distill/core';
import type { BatchNormValues } from './onnx/fold-batch-norm.js';

/** A conv op's parameters read from the graph: kernel (HWIO) and its shape, bias and BatchNorm when present. */
export interface GraphConvValues {
  readonly kernel: Float32Array;
  readonly shape: readonly number[];
  readonly bias: Float32Array | undefined;
  readonly bn: BatchNormValues | undefined;
}

function values(graph: ModelGraph, name: string, op: GraphConv): Float32Array {
  const tensor: Tensor | undefined = graph.weights[name];
  if (!tensor) throw new Error(`the graph's conv ${op.scope} names the weight '${name}', which the graph does not carry`);
  return tensor.dataSync() as Float32Array;
}

/** What every writer needs to fold a conv; errors name the op's scope (a missing weight, a grouped conv). */
export function graphConvValues(graph: ModelGraph, op: GraphConv): GraphConvValues {
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
  return { kernel: kernel.dataSync() as Float32Array, shape: kernel.shape, bias: op.bias ? values(graph, op.bias, op) : undefined, bn };
}
