import type { OnnxModelFile, OnnxNode } from '@yolo-distill/yolo';

/** `decode-tail` keeps every conv after the head's reshapes float; other entries are regular expressions over node names. */
export const DECODE_TAIL = 'decode-tail';

/** Ops that turn maps into rows of boxes: a conv behind one of them belongs to the decode (the DFL expectation). */
const DECODE_OPS = new Set(['Reshape', 'Transpose', 'Softmax', 'Flatten']);

export interface ConvChoice {
  /** Convs that get QDQ: input activation and per-channel int8 weights. */
  readonly quantized: readonly OnnxNode[];
  /** Convs left in float, each with why. */
  readonly kept: readonly { readonly node: OnnxNode; readonly reason: string }[];
}

/**
 * Which convs to quantize: every `Conv` with an initializer kernel, except those `keepFloat` names.
 * Only convs are quantized (as Ultralytics and onnxruntime's `op_types_to_quantize: [Conv]`), so the
 * decode arithmetic and the final concat, where box pixels and class scores would share one scale,
 * stay float by construction; `decode-tail` also keeps the convs that run on decoded rows (DFL).
 */
export function chooseConvs(model: OnnxModelFile, keepFloat: readonly string[]): ConvChoice {
  const patterns = keepFloat.filter((entry) => entry !== DECODE_TAIL).map((entry) => new RegExp(entry));
  const afterDecode = keepFloat.includes(DECODE_TAIL) ? decodeTailTensors(model) : new Set<string>();
  const quantized: OnnxNode[] = [];
  const kept: { node: OnnxNode; reason: string }[] = [];
  for (const node of model.nodes) {
    if (node.opType !== 'Conv' || node.domain !== '') continue;
    const pattern = patterns.find((p) => p.test(node.name));
    if (pattern) kept.push({ node, reason: `keepFloat /${pattern.source}/` });
    else if (afterDecode.has(node.inputs[0] ?? '')) kept.push({ node, reason: 'decode tail (runs on reshaped head rows)' });
    else if (!model.initializers().has(node.inputs[1] ?? '')) kept.push({ node, reason: 'its kernel is not an initializer' });
    else quantized.push(node);
  }
  return { quantized, kept };
}

/** Tensors computed from the output of a decode op (in topological order, so one pass suffices). */
function decodeTailTensors(model: OnnxModelFile): Set<string> {
  const tail = new Set<string>();
  for (const node of model.nodes) {
    if (DECODE_OPS.has(node.opType) || node.inputs.some((input) => tail.has(input))) for (const output of node.outputs) tail.add(output);
  }
  return tail;
}
