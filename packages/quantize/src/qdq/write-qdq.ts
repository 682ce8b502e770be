import { encodeOnnxModel, onnx, type OnnxModelFile, type OnnxNode } from '@yolo-distill/yolo';
import { quantizeWeightsPerChannel } from '../quant/per-channel-weights.js';
import type { QuantParams } from '../quant/quant-params.js';
import { liftNodesToOpset13 } from './lift-to-opset-13.js';
import { floatTensor, int8Tensor, node, zeroPointTensor } from './onnx-parts.js';

export interface QdqRequest {
  /** Convs to quantize (from {@link chooseConvs}). */
  readonly convs: readonly OnnxNode[];
  /** Quantization of each conv's input tensor, by tensor name. */
  readonly activations: ReadonlyMap<string, QuantParams>;
}

export interface QdqResult {
  readonly bytes: Uint8Array;
  /** Per-channel weight scales by kernel name. */
  readonly weightScales: ReadonlyMap<string, Float32Array>;
}

/**
 * The QDQ model (onnxruntime's quantize_static format): each quantized conv reads
 * `DequantizeLinear(QuantizeLinear(x))` of its input (one pair per tensor, however many convs read it)
 * and `DequantizeLinear(int8 kernel, per-channel scales, axis 0)`; the float kernel is dropped, biases
 * stay float. Per-axis DequantizeLinear needs opset 13: opsets 11-12 are lifted to it.
 */
export function writeQdq(model: OnnxModelFile, request: QdqRequest): QdqResult {
  const graph = model.proto.graph as onnx.IGraphProto;
  const lifted = liftNodesToOpset13(model);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t as onnx.ITensorProto]));
  const weightScales = new Map<string, Float32Array>();
  const dequantized = new Map<string, string>();
  const added: onnx.ITensorProto[] = [];
  const pairs = new Map<string, onnx.NodeProto[]>();
  const quantizedConvs = new Set(request.convs.map((c) => c.name));
  for (const conv of request.convs) {
    const input = conv.inputs[0] ?? '';
    const params = request.activations.get(input);
    if (!params) throw new Error(`${model.source}: no calibrated range for '${input}', the input of ${conv.name}`);
    if (!dequantized.has(input)) {
      const base = input;
      added.push(floatTensor(`${base}_scale`, [], Float32Array.of(params.scale)), zeroPointTensor(`${base}_zero_point`, params.type, params.zeroPoint));
      dequantized.set(input, `${base}_dequantized`);
      pairs.set(input, [
        node('QuantizeLinear', `${base}_QuantizeLinear`, [input, `${base}_scale`, `${base}_zero_point`], [`${base}_quantized`]),
        node('DequantizeLinear', `${base}_DequantizeLinear`, [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`], [`${base}_dequantized`]),
      ]);
    }
    const weight = conv.inputs[1] ?? '';
    if (!weightScales.has(weight)) {
      const w = model.initializers().get(weight);
      if (!w) throw new Error(`${model.source}: the kernel '${weight}' of ${conv.name} is not an initializer`);
      const q = quantizeWeightsPerChannel(w.data, w.dims);
      const base = weight;
      added.push(int8Tensor(`${base}_quantized`, w.dims, q.values), floatTensor(`${base}_scale`, [q.scales.length], q.scales), int8Tensor(`${base}_zero_point`, [q.scales.length], new Int8Array(q.scales.length)));
      pairs.set(weight, [node('DequantizeLinear', `${base}_DequantizeLinear`, [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`], [`${base}_dequantized`], { axis: 0 })]);
      dequantized.set(weight, `${base}_dequantized`);
      weightScales.set(weight, q.scales);
    }
  }
  const nodes: onnx.INodeProto[] = [];
  const emitPairsOf = (tensor: string) => nodes.push(...(pairs.get(tensor) ?? []));
  for (const input of graph.input ?? []) emitPairsOf(input.name ?? '');
  for (const weight of weightScales.keys()) emitPairsOf(weight);
  for (const [i, original] of lifted.nodes.entries()) {
    const parsed = model.nodes[i] as OnnxNode;
    if (quantizedConvs.has(parsed.name)) {
      const inputs = [...(original.input ?? [])];
      inputs[0] = dequantized.get(inputs[0] ?? '') ?? (inputs[0] as string);
      inputs[1] = dequantized.get(inputs[1] ?? '') ?? (inputs[1] as string);
      nodes.push(onnx.NodeProto.create({ ...original, input: inputs }));
    } else nodes.push(original);
    for (const output of original.output ?? []) emitPairsOf(output);
  }
  const reads = new Set(nodes.flatMap((n) => n.input ?? []));
  const kept = [...initializers.values()].filter((t) => reads.has(t.name ?? '') || !weightScales.has(t.name ?? ''));
  const proto = onnx.ModelProto.create({
    ...model.proto,
    opsetImport: model.proto.opsetImport.map((entry) => ((entry.domain ?? '') === '' ? { ...entry, version: lifted.opset } : entry)),
    graph: onnx.GraphProto.create({ ...graph, node: nodes, initializer: [...kept, ...lifted.initializers, ...added] }),
  });
  return { bytes: encodeOnnxModel(proto), weightScales };
}
