import { encodeOnnxModel, onnx, type OnnxModelFile } from '@yolo-distill/yolo';
import { EFFICIENT_NMS } from './efficient-nms-head.js';

/**
 * The model's bytes without its TensorRT plugin nodes (domain `TRT`) and their opset, returning the
 * plugin's inputs instead (typed and shaped from graph.value_info), so that onnxruntime runs
 * everything TensorRT would run before the plugin. Throws naming the file when a tensor is missing.
 */
export function upToPluginInputs(model: OnnxModelFile, inputs: readonly string[]): Uint8Array {
  const graph = model.proto.graph;
  if (!graph) throw new Error(`${model.source}: the ONNX model has no graph`);
  const info = new Map((graph.valueInfo ?? []).map((entry) => [entry.name ?? '', entry]));
  const outputs = inputs.map((name) => {
    const entry = info.get(name);
    if (!entry || !model.producerOf(name)) throw new Error(`${model.source}: no declared tensor '${name}' feeds the ${EFFICIENT_NMS.opType} plugin`);
    return entry;
  });
  const edited = onnx.ModelProto.create({
    ...model.proto,
    opsetImport: (model.proto.opsetImport ?? []).filter((opset) => opset.domain !== EFFICIENT_NMS.domain),
    graph: onnx.GraphProto.create({ ...graph, node: (graph.node ?? []).filter((node) => node.domain !== EFFICIENT_NMS.domain), output: outputs }),
  });
  return encodeOnnxModel(edited);
}
