// Graph edits on a decoded model that leave the original untouched.
import { closestNames } from './close-names.js';
import type { OnnxModelFile } from './onnx-model.js';
import { onnx } from './onnx-proto.js';
import { encodeOnnxModel } from './onnx-writer.js';

/**
 * The model's bytes with intermediate tensors added to graph.output, so that onnxruntime returns
 * them too (how an ONNX teacher exposes its P3/P4/P5 feature maps). Each added output takes its type
 * and shape from the graph's value_info when present, else float32 with unknown shape. Names that
 * are already outputs are kept once. Throws `<file>: no node outputs tensor 'x' (closest: ...)`
 * for a name no node produces.
 */
export function withExtraOutputs(model: OnnxModelFile, tensorNames: readonly string[]): Uint8Array {
  const graph = model.proto.graph;
  if (!graph) throw new Error(`${model.source}: the ONNX model has no graph`);
  const outputs = [...(graph.output ?? [])];
  const present = new Set(outputs.map((output) => output.name ?? ''));
  const valueInfo = new Map((graph.valueInfo ?? []).map((info) => [info.name ?? '', info]));
  for (const name of tensorNames) {
    if (present.has(name)) continue;
    if (!model.producerOf(name)) {
      const produced = model.nodes.flatMap((node) => node.outputs).filter((output) => output);
      throw new Error(`${model.source}: no node outputs tensor '${name}' (closest: ${closestNames(name, produced).join(', ')})`);
    }
    outputs.push(
      valueInfo.get(name) ??
        onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }),
    );
    present.add(name);
  }
  const edited = onnx.ModelProto.create({ ...model.proto, graph: onnx.GraphProto.create({ ...graph, output: outputs }) });
  return encodeOnnxModel(edited);
}
