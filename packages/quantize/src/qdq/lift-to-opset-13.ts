import { onnx, type OnnxModelFile } from '@yolo-distill/yolo';

/** Ops whose INTS attribute became an int64 input at opset 13: Split's `split`, the others' `axes`. */
const MOVED_AT_13: Readonly<Record<string, string>> = { Split: 'split', Squeeze: 'axes', Unsqueeze: 'axes', ReduceSum: 'axes' };

/**
 * The graph's nodes and extra initializers for opset 13 (per-channel DequantizeLinear needs it): the
 * attributes that opset 13 turned into inputs are moved there; every other op of opsets 11-12 means
 * the same at 13. Nodes of a model already at 13 or above come back unchanged.
 */
export function liftNodesToOpset13(model: OnnxModelFile): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[]; opset: number } {
  const graph = model.proto.graph as onnx.IGraphProto;
  const nodes = [...(graph.node ?? [])];
  if (model.opset >= 13) return { nodes, initializers: [], opset: model.opset };
  if (model.opset < 11) throw new Error(`${model.source}: opset ${model.opset}; quantization needs opset 13 and lifts models from 11 or 12 only (re-export at opset 13)`);
  const initializers: onnx.ITensorProto[] = [];
  const lifted = nodes.map((n, i) => {
    const moved = (n.domain ?? '') === '' ? MOVED_AT_13[n.opType ?? ''] : undefined;
    const attribute = moved ? (n.attribute ?? []).find((a) => a.name === moved) : undefined;
    if (!moved || !attribute) return n;
    const values = (attribute.ints ?? []).map((v) => BigInt(v.toString()));
    const name = `${n.name || `node_${i}`}.${moved}`;
    const bytes = new Uint8Array(values.length * 8);
    values.forEach((v, k) => new DataView(bytes.buffer).setBigInt64(k * 8, v, true));
    initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes }));
    const inputs = [...(n.input ?? [])];
    inputs[1] = name;
    return onnx.NodeProto.create({ ...n, input: inputs, attribute: (n.attribute ?? []).filter((a) => a !== attribute) });
  });
  return { nodes: lifted, initializers, opset: 13 };
}
