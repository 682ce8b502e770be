import type { OnnxFloatTensor, OnnxSessionFactory } from '@yolo-distill/core';
import { withExtraOutputs, type OnnxModelFile } from '@yolo-distill/yolo';
import type { TensorRange } from '../quant/quant-params.js';
import { TensorStatistics, type RangeOptions } from './tensor-ranges.js';

/** The calibration images as the model's input (NCHW, values 0..1), one at a time. */
export interface CalibrationImages {
  readonly count: number;
  image(index: number): Promise<OnnxFloatTensor>;
}

/**
 * The calibrated range of each named tensor: onnxruntime runs the model with those tensors exposed as
 * extra outputs (as onnxruntime's quantize_static does), once for min/max and, for the histogram
 * methods, once more to fill histograms over the now known range. A graph input is read from the feed.
 */
export async function collectRanges(
  model: OnnxModelFile,
  tensors: readonly string[],
  images: CalibrationImages,
  sessions: OnnxSessionFactory,
  options: RangeOptions,
): Promise<Map<string, TensorRange>> {
  if (images.count === 0) throw new Error(`${model.source}: calibration needs at least one image`);
  const input = model.inputs[0];
  if (!input) throw new Error(`${model.source}: the model has no input`);
  const inner = tensors.filter((name) => name !== input.name);
  const session = await sessions.create(withExtraOutputs(model, inner), { graphOptimization: 'disabled' });
  const stats = new Map(tensors.map((name) => [name, new TensorStatistics(options)]));
  try {
    const pass = async (use: (s: TensorStatistics, values: Float32Array) => void) => {
      for (let i = 0; i < images.count; i++) {
        const image = await images.image(i);
        checkDims(model, input.dims, image.dims);
        const outputs = inner.length > 0 ? await session.run({ [input.name]: image }, inner) : {};
        for (const [name, s] of stats) use(s, name === input.name ? image.data : (outputs[name] as OnnxFloatTensor).data);
      }
    };
    await pass((s, values) => s.observe(values));
    if ([...stats.values()].some((s) => s.needsHistogram)) await pass((s, values) => s.histogram(values));
  } finally {
    await session.release();
  }
  return new Map([...stats].map(([name, s]) => [name, s.range()]));
}

function checkDims(model: OnnxModelFile, expected: readonly (number | string)[] | null, got: readonly number[]): void {
  if (!expected) return;
  const fits = expected.length === got.length && expected.every((d, i) => typeof d === 'string' || d === got[i]);
  if (!fits) throw new Error(`${model.source}: calibration image is [${got.join(', ')}], the model's input is [${expected.join(', ')}]`);
}
