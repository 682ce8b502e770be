/**
 * Linear 8-bit quantization of one tensor (or one channel): `q = clamp(round(x / scale) + zeroPoint)`,
 * `x ≈ (q - zeroPoint) * scale`. Activations are uint8 with a zero point (asymmetric, onnxruntime's
 * default) or int8 without one (symmetric, what TensorRT takes); weights are int8 symmetric per channel.
 */
export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly type: 'uint8' | 'int8';
}

/** A float range `[min, max]` of a tensor, as a calibrator or an observer measured it. */
export interface TensorRange {
  readonly min: number;
  readonly max: number;
}

/** Below this a range is treated as empty (an all-zero tensor): scale 1, so nothing divides by 0. */
const TINY = 1e-12;

/**
 * uint8 asymmetric parameters for `[min, max]`, widened to contain 0 (so that zero padding and ReLU
 * zeros are exact): `scale = (max - min) / 255`, `zeroPoint = round(-min / scale)` in 0..255.
 */
export function asymmetricParams(range: TensorRange): QuantParams {
  const min = Math.min(range.min, 0);
  const max = Math.max(range.max, 0);
  if (max - min < TINY) return { scale: 1, zeroPoint: 0, type: 'uint8' };
  const scale = (max - min) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-min / scale))), type: 'uint8' };
}

/** int8 symmetric parameters for the magnitude `amax`: `scale = amax / 127`, zero point 0 (range -127..127, TensorRT's). */
export function symmetricParams(amax: number): QuantParams {
  if (!(amax > TINY)) return { scale: 1, zeroPoint: 0, type: 'int8' };
  return { scale: amax / 127, zeroPoint: 0, type: 'int8' };
}

/** The integer range of a type: uint8 0..255, int8 -127..127 (narrow: the grid is symmetric about 0). */
export function integerRange(type: QuantParams['type']): { readonly low: number; readonly high: number } {
  return type === 'uint8' ? { low: 0, high: 255 } : { low: -127, high: 127 };
}

/** Round half to even, as ONNX QuantizeLinear and torch.round do (Math.round rounds half up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `q = clamp(round(x / scale) + zeroPoint)`. */
export function quantizeValue(x: number, p: QuantParams): number {
  const { low, high } = integerRange(p.type);
  return Math.min(high, Math.max(low, roundHalfEven(x / p.scale) + p.zeroPoint));
}

/** `x' = (q - zeroPoint) * scale`: the value an 8-bit tensor stands for. */
export function fakeQuantizeValue(x: number, p: QuantParams): number {
  return (quantizeValue(x, p) - p.zeroPoint) * p.scale;
}
