import { encodeOnnxModel, onnx, type OnnxModelFile, type OnnxNode } from '@yolo-distill/yolo';
import { quantizeWeightsPerChannel } from '../quant/per-channel-weights.js';
import type { QuantParams } from '../quant/quant-params.js';
import { liftNodesToOpset13 } from './lift-to-opset-13.js';
import { floatTensor, int32Tensor, int8Tensor, node, zeroPointTensor } from './onnx-parts.js';

export interface QdqRequest {
  /** Convs to quantize (from {@link chooseConvs}). */
  readonly convs: readonly OnnxNode[];
  /** Quantization of each conv's input tensor, by tensor name. */
  readonly activations: ReadonlyMap<string, QuantParams>;
  /**
   * Quantization of conv outputs, by tensor name: then every reader of such an output reads its
   * DequantizeLinear, and that conv's bias becomes int32 at scale `s_input * s_weight[c]`, the
   * `DQ -> Conv -> Q` group onnxruntime fuses into QLinearConv.
   */
  readonly outputs?: ReadonlyMap<string, QuantParams>;
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
  const activationPair = (tensor: string, params: QuantParams) => {
    if (dequantized.has(tensor)) return;
    added.push(floatTensor(`${tensor}_scale`, [], Float32Array.of(params.scale)), zeroPointTensor(`${tensor}_zero_point`, params.type, params.zeroPoint));
    dequantized.set(tensor, `${tensor}_dequantized`);
    pairs.set(tensor, [
      node('QuantizeLinear', `${tensor}_QuantizeLinear`, [tensor, `${tensor}_scale`, `${tensor}_zero_point`], [`${tensor}_quantized`]),
      node('DequantizeLinear', `${tensor}_DequantizeLinear`, [`${tensor}_quantized`, `${tensor}_scale`, `${tensor}_zero_point`], [`${tensor}_dequantized`]),
    ]);
  };
  /** Conv outputs whose every reader takes the dequantized copy. */
  const readDequantized = new Set<string>();
  const biasOf = new Map<string, string>();
  for (const conv of request.convs) {
    const input = conv.inputs[0] ?? '';
    const params = request.activations.get(input);
    if (!params) throw new Error(`${model.source}: no calibrated range for '${input}', the input of ${conv.name}`);
    activationPair(input, params);
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
    const output = conv.outputs[0] ?? '';
    const outParams = request.outputs?.get(output);
    if (!outParams) continue;
    activationPair(output, outParams);
    readDequantized.add(output);
    const biasName = conv.inputs[2];
    const bias = biasName ? model.initializers().get(biasName) : undefined;
    if (biasName && bias) {
      const scales = (weightScales.get(weight) as Float32Array).map((sw) => sw * params.scale);
      const values = Int32Array.from(bias.data, (b, c) => Math.round(b / (scales[c] as number)));
      const base = `${conv.name}_bias`;
      added.push(int32Tensor(`${base}_quantized`, [values.length], values), floatTensor(`${base}_scale`, [values.length], scales), int32Tensor(`${base}_zero_point`, [values.length], new Int32Array(values.length)));
      pairs.set(base, [node('DequantizeLinear', `${base}_DequantizeLinear`, [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`], [`${base}_dequantized`], { axis: 0 })]);
      biasOf.set(conv.name, `${base}_dequantized`);
    }
  }
  const nodes: onnx.INodeProto[] = [];
  const emitPairsOf = (tensor: string) => nodes.push(...(pairs.get(tensor) ?? []));
  for (const input of graph.input ?? []) emitPairsOf(input.name ?? '');
  for (const weight of weightScales.keys()) emitPairsOf(weight);
  for (const conv of biasOf.keys()) emitPairsOf(`${conv}_bias`);
  for (const [i, original] of lifted.nodes.entries()) {
    const parsed = model.nodes[i] as OnnxNode;
    const inputs = (original.input ?? []).map((name) => (readDequantized.has(name) ? (dequantized.get(name) as string) : name));
    if (quantizedConvs.has(parsed.name)) {
      inputs[0] = dequantized.get(inputs[0] ?? '') ?? (inputs[0] as string);
      inputs[1] = dequantized.get(inputs[1] ?? '') ?? (inputs[1] as string);
      const bias = biasOf.get(parsed.name);
      if (bias) inputs[2] = bias;
    }
    nodes.push(inputs.some((name, k) => name !== original.input?.[k]) ? onnx.NodeProto.create({ ...original, input: inputs }) : original);
    for (const output of original.output ?? []) emitPairsOf(output);
  }
  const reads = new Set(nodes.flatMap((n) => n.input ?? []));
  for (const output of graph.output ?? []) reads.add(output.name ?? '');
  // The float kernels and biases that now come from their int8 / int32 copies leave the file.
  const kept = [...initializers.values()].filter((t) => reads.has(t.name ?? ''));
  const proto = onnx.ModelProto.create({
    ...model.proto,
    opsetImport: model.proto.opsetImport.map((entry) => ((entry.domain ?? '') === '' ? { ...entry, version: lifted.opset } : entry)),
    graph: onnx.GraphProto.create({ ...graph, node: nodes, initializer: [...kept, ...lifted.initializers, ...added] }),
  });
  return { bytes: encodeOnnxModel(proto), weightScales };
}
