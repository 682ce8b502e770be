import { quantizeWeightsPerChannel } from './per-channel-weights.js';
import { asymmetricParams, fakeQuantizeValue, quantizeValue, roundHalfEven, symmetricParams } from './quant-params.js';

describe('8-bit parameters', () => {
  it('asymmetric: scale (max - min) / 255 over a range widened to hold 0, zero point round(-min / scale)', () => {
    expect(asymmetricParams({ min: -0.3, max: 4.8 })).toEqual({ scale: 5.1 / 255, zeroPoint: 15, type: 'uint8' });
    // A positive-only range starts at 0 so that 0 stays exact.
    expect(asymmetricParams({ min: 0.5, max: 2.55 })).toMatchObject({ zeroPoint: 0, type: 'uint8' });
    expect(asymmetricParams({ min: 0.5, max: 2.55 }).scale).toBeCloseTo(0.01, 15);
    expect(asymmetricParams({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0, type: 'uint8' });
  });

  it('symmetric: amax / 127, zero point 0, -127..127', () => {
    expect(symmetricParams(12.7)).toMatchObject({ zeroPoint: 0, type: 'int8' });
    expect(symmetricParams(12.7).scale).toBeCloseTo(0.1, 15);
    expect(quantizeValue(-100, symmetricParams(12.7))).toBe(-127);
    expect(fakeQuantizeValue(0.26, symmetricParams(12.7))).toBeCloseTo(0.3, 12);
  });

  it('rounds half to even, as QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, -3]);
  });

  it('per-channel weights: each output channel on its own max-abs grid', () => {
    const { values, scales } = quantizeWeightsPerChannel(Float32Array.of(0.5, -1, 0.25, 0.03, 0.01, -0.04), [2, 3]);
    expect(Array.from(scales)).toEqual([Math.fround(1 / 127), Math.fround(0.04 / 127)]);
    // 0.5 * 127 = 63.5 and 0.25 * 127 = 31.75; 0.03 / 0.04 * 127 = 95.25, 0.01 / 0.04 * 127 = 31.75.
    expect(Array.from(values)).toEqual([64, -127, 32, 95, 32, -127]);
  });
});
