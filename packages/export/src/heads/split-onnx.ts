import type { OnnxEmitter } from '../onnx/onnx-emitter.js';

/** ONNX Split of `input` into `sizes` along `axis` (opset 13+: the sizes as an input). */
export function splitOnnx(emitter: OnnxEmitter, input: string, sizes: readonly number[], axis: number, scope: string): string[] {
  const outputs = sizes.map(() => emitter.tensor(`${scope}/Split`));
  emitter.node('Split', `${scope}/Split`, [input, emitter.ints(sizes)], outputs, { axis });
  return outputs;
}
