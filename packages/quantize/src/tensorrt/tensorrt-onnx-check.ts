import type { OnnxModelFile } from '@yolo-distill/yolo';

/**
 * ONNX ops TensorRT's ONNX parser imports (onnx-tensorrt's docs/operators.md, TensorRT 8.6/10) that
 * YOLO exports use, plus the EfficientNMS_TRT plugin; a smaller list than the parser's whole, on purpose:
 * anything else fails the check and should be looked up there.
 */
export const TENSORRT_OPS: ReadonlySet<string> = new Set([
  'Add', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Constant', 'Conv', 'ConvTranspose', 'DequantizeLinear', 'Div', 'Exp', 'Expand', 'Flatten',
  'Gather', 'Gemm', 'GlobalAveragePool', 'Identity', 'LeakyRelu', 'MatMul', 'Max', 'MaxPool', 'Min', 'Mul', 'NonMaxSuppression', 'Pad', 'Pow',
  'QuantizeLinear', 'ReduceMax', 'ReduceMean', 'ReduceSum', 'Relu', 'Reshape', 'Resize', 'Shape', 'Sigmoid', 'Slice', 'Softmax', 'Split', 'Sqrt',
  'Squeeze', 'Sub', 'Tanh', 'TopK', 'Transpose', 'Unsqueeze', 'Where', 'EfficientNMS_TRT',
]);

export interface TensorRtProblem {
  readonly node: string;
  readonly problem: string;
  readonly fix: string;
}

/** What keeps TensorRT's parser from building a static INT8 engine of this model: dynamic dims, unknown ops. */
export function checkTensorRtOnnx(model: OnnxModelFile): TensorRtProblem[] {
  const problems: TensorRtProblem[] = [];
  for (const input of model.inputs) {
    if (!input.dims || input.dims.some((d) => typeof d !== 'number')) {
      problems.push({ node: `input ${input.name}`, problem: `dims [${input.dims?.join(', ') ?? 'unknown'}] are not static`, fix: 'export without --dynamic (a static engine needs fixed shapes)' });
    }
  }
  for (const node of model.nodes) {
    if (!TENSORRT_OPS.has(node.opType)) {
      problems.push({ node: node.name, problem: `op ${node.domain ? `${node.domain}.` : ''}${node.opType} is not one TensorRT's ONNX parser imports`, fix: 'export with --raw and run that part outside the engine' });
    }
  }
  return problems;
}

/** Float tensors of the graph that a calibration cache should scale: the input and every node output except integer-valued ones. */
export function calibratedTensors(model: OnnxModelFile): string[] {
  const integerOps = new Set(['Shape', 'Size', 'NonMaxSuppression', 'ArgMax', 'ArgMin', 'Equal', 'Greater', 'Less', 'Not', 'And', 'Or', 'Cast', 'ConstantOfShape', 'Range', 'TopK', 'EfficientNMS_TRT', 'Constant']);
  const names = model.inputs.map((input) => input.name);
  for (const node of model.nodes) if (!integerOps.has(node.opType)) names.push(...node.outputs.filter((o) => o !== ''));
  return [...new Set(names)];
}
