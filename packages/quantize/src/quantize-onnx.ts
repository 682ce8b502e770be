import type { OnnxSessionFactory } from '@yolo-distill/core';
import type { OnnxModelFile } from '@yolo-distill/yolo';
import { collectRanges, type CalibrationImages } from './calibration/collect-ranges.js';
import { DEFAULT_RANGE_OPTIONS, type RangeOptions } from './calibration/tensor-ranges.js';
import { foldOnnxBatchNorm } from './qdq/fold-onnx-batch-norm.js';
import { chooseConvs, DECODE_TAIL } from './qdq/quantizable-convs.js';
import { writeQdq } from './qdq/write-qdq.js';
import { asymmetricParams, symmetricParams, type QuantParams, type TensorRange } from './quant/quant-params.js';

export interface QuantizeOnnxOptions extends Partial<RangeOptions> {
  readonly images: CalibrationImages;
  readonly sessions: OnnxSessionFactory;
  /** Convs left float: `decode-tail` and/or node-name regular expressions (default `['decode-tail']`). */
  readonly keepFloat?: readonly string[];
  /**
   * Ranges already known for conv inputs (learned by quantization-aware training), by conv kernel
   * name (`model.3.conv.weight`): those convs skip calibration; the others are calibrated.
   */
  readonly learnedRanges?: Readonly<Record<string, TensorRange>>;
  /**
   * Also quantize each conv's output (calibrated) and its bias (int32): onnxruntime then runs the convs
   * as QLinearConv on integers; otherwise it dequantizes and runs them in float.
   */
  readonly quantizeOutputs?: boolean;
}

export interface QuantizedLayer {
  readonly node: string;
  readonly input: string;
  readonly weight: string;
  readonly activation: QuantParams & TensorRange & { readonly source: 'calibrated' | 'learned' };
}

export interface QuantizeOnnxResult {
  readonly bytes: Uint8Array;
  readonly layers: readonly QuantizedLayer[];
  readonly kept: readonly { readonly node: string; readonly reason: string }[];
  readonly options: RangeOptions & { readonly images: number; readonly keepFloat: readonly string[]; readonly quantizeOutputs: boolean };
}

/**
 * Post-training INT8 of an FP32 ONNX model (onnxruntime's quantize_static, QDQ format): BatchNorms
 * folded into their convs first, the inputs of the chosen convs calibrated on `images`, weights int8
 * per channel; the QDQ model's bytes and what was done to each conv.
 */
export async function quantizeOnnx(source: OnnxModelFile, options: QuantizeOnnxOptions): Promise<QuantizeOnnxResult> {
  const range: RangeOptions = { ...DEFAULT_RANGE_OPTIONS, ...definedOnly(options) };
  const keepFloat = options.keepFloat ?? [DECODE_TAIL];
  const model = foldOnnxBatchNorm(source);
  const choice = chooseConvs(model, keepFloat);
  const learned = options.learnedRanges ?? {};
  const learnedInputs = new Map<string, TensorRange>();
  for (const conv of choice.quantized) {
    const r = learned[conv.inputs[1] ?? ''];
    if (r) learnedInputs.set(conv.inputs[0] ?? '', r);
  }
  const graphOutputs = new Set(model.outputs.map((o) => o.name));
  const convOutputs = options.quantizeOutputs ? [...new Set(choice.quantized.map((c) => c.outputs[0] ?? ''))].filter((t) => !graphOutputs.has(t)) : [];
  const toCalibrate = [...new Set([...choice.quantized.map((c) => c.inputs[0] ?? ''), ...convOutputs])].filter((t) => !learnedInputs.has(t));
  const calibrated = toCalibrate.length > 0 ? await collectRanges(model, toCalibrate, options.images, options.sessions, range) : new Map<string, TensorRange>();
  const paramsOf = (r: TensorRange) => (range.symmetric ? symmetricParams(Math.max(Math.abs(r.min), Math.abs(r.max))) : asymmetricParams(r));
  const activations = new Map<string, QuantParams>();
  const layers: QuantizedLayer[] = [];
  for (const conv of choice.quantized) {
    const input = conv.inputs[0] ?? '';
    const fromLearned = learnedInputs.get(input);
    const r = fromLearned ?? (calibrated.get(input) as TensorRange);
    const params = paramsOf(r);
    activations.set(input, params);
    layers.push({ node: conv.name, input, weight: conv.inputs[1] ?? '', activation: { ...params, ...r, source: fromLearned ? 'learned' : 'calibrated' } });
  }
  const outputs = new Map(convOutputs.map((t) => [t, paramsOf(calibrated.get(t) as TensorRange)]));
  const { bytes } = writeQdq(model, { convs: choice.quantized, activations, outputs });
  return { bytes, layers, kept: choice.kept.map((k) => ({ node: k.node.name, reason: k.reason })), options: { ...range, images: options.images.count, keepFloat, quantizeOutputs: options.quantizeOutputs === true } };
}

function definedOnly(options: Partial<RangeOptions>): Partial<RangeOptions> {
  const out: Partial<Record<keyof RangeOptions, unknown>> = {};
  for (const key of ['method', 'percentile', 'symmetric', 'bins'] as const) if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<RangeOptions>;
}
