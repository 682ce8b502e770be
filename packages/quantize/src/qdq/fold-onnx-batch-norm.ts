import { onnx, parseOnnxModel, type OnnxModelFile } from '@yolo-distill/yolo';
import { encodeOnnxModel } from '@yolo-distill/yolo';
import { floatTensor } from './onnx-parts.js';

/**
 * Folds every `BatchNormalization` that reads a `Conv` (with initializer weights, read by nothing else)
 * into that conv: `w' = w * gamma / sqrt(var + eps)` per output channel, `b' = (b - mean) * gamma /
 * sqrt(var + eps) + beta`. Quantizing the folded kernel is what runs at inference; a BN left after an
 * int8 conv would rescale its grid per channel. Returns the model unchanged when there is nothing to fold.
 */
export function foldOnnxBatchNorm(model: OnnxModelFile): OnnxModelFile {
  const graph = model.proto.graph as onnx.IGraphProto;
  const readers = new Map<string, number>();
  for (const n of model.nodes) for (const input of n.inputs) readers.set(input, (readers.get(input) ?? 0) + 1);
  const byOutput = new Map(model.nodes.map((n, i) => [n.outputs[0] ?? '', i]));
  const replaced = new Map<number, onnx.INodeProto>();
  const dropped = new Set<number>();
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  for (const [index, bn] of model.nodes.entries()) {
    if (bn.opType !== 'BatchNormalization' || bn.outputs.length !== 1) continue;
    const convIndex = byOutput.get(bn.inputs[0] ?? '');
    const conv = convIndex === undefined ? undefined : model.nodes[convIndex];
    if (!conv || convIndex === undefined || conv.opType !== 'Conv' || readers.get(conv.outputs[0] ?? '') !== 1) continue;
    const weightName = conv.inputs[1] ?? '';
    const weight = model.initializers().get(weightName);
    const [gamma, beta, mean, variance] = bn.inputs.slice(1, 5).map((name) => model.initializers().get(name));
    if (!weight || !gamma || !beta || !mean || !variance || (readers.get(weightName) ?? 0) !== 1) continue;
    const eps = typeof bn.attributes['epsilon'] === 'number' ? bn.attributes['epsilon'] : 1e-5;
    const cout = weight.dims[0] as number;
    const per = weight.data.length / cout;
    const bias = conv.inputs[2] ? model.initializers().get(conv.inputs[2]) : undefined;
    const w = new Float32Array(weight.data.length);
    const b = new Float32Array(cout);
    for (let c = 0; c < cout; c++) {
      const k = (gamma.data[c] as number) / Math.sqrt((variance.data[c] as number) + eps);
      for (let i = c * per; i < (c + 1) * per; i++) w[i] = (weight.data[i] as number) * k;
      b[c] = ((bias?.data[c] ?? 0) - (mean.data[c] as number)) * k + (beta.data[c] as number);
    }
    const foldedWeight = `${weightName}.folded`;
    const foldedBias = `${weightName}.folded_bias`;
    initializers.set(foldedWeight, floatTensor(foldedWeight, weight.dims, w));
    initializers.set(foldedBias, floatTensor(foldedBias, [cout], b));
    const original = (graph.node ?? [])[convIndex] as onnx.INodeProto;
    replaced.set(convIndex, onnx.NodeProto.create({ ...original, input: [conv.inputs[0] ?? '', foldedWeight, foldedBias], output: [bn.outputs[0] ?? ''] }));
    dropped.add(index);
  }
  if (replaced.size === 0) return model;
  const used = new Set<string>();
  const nodes = (graph.node ?? []).flatMap((n, i) => (dropped.has(i) ? [] : [replaced.get(i) ?? n]));
  for (const n of nodes) for (const input of n.input ?? []) used.add(input);
  for (const output of graph.output ?? []) used.add(output.name ?? '');
  const edited = onnx.ModelProto.create({
    ...model.proto,
    graph: onnx.GraphProto.create({ ...graph, node: nodes, initializer: [...initializers.values()].filter((t) => used.has(t.name ?? '')) }),
  });
  return parseOnnxModel(encodeOnnxModel(edited), model.source);
}
