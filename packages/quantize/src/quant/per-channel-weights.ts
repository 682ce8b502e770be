import { quantizeValue, symmetricParams } from './quant-params.js';

/** Conv weights as int8, one symmetric scale per output channel (axis 0 of an ONNX `[cout, cin, kh, kw]` kernel). */
export interface ChannelQuantizedWeights {
  readonly values: Int8Array;
  readonly scales: Float32Array;
}

/** Per-channel min-max: `scale[c] = max|w[c]| / 127`, `q = clamp(round(w / scale[c]), -127, 127)`. */
export function quantizeWeightsPerChannel(data: Float32Array, dims: readonly number[]): ChannelQuantizedWeights {
  const channels = dims[0] ?? 1;
  const per = data.length / channels;
  if (!Number.isInteger(per)) throw new Error(`quantizeWeightsPerChannel: ${data.length} values do not split into ${channels} channels`);
  const values = new Int8Array(data.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let amax = 0;
    for (let i = c * per; i < (c + 1) * per; i++) amax = Math.max(amax, Math.abs(data[i] as number));
    const p = symmetricParams(amax);
    // The scale as it will be stored (float32), so that the integers are computed with the same number.
    const scale = Math.fround(p.scale);
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++) values[i] = quantizeValue(data[i] as number, { ...p, scale });
  }
  return { values, scales };
}
