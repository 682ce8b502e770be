import { OrtSessionFactory } from '@yolo-distill/backend';
import { OnnxModelBuilder, parseOnnxModel } from '@yolo-distill/yolo';
import { quantizeOnnx } from '../quantize-onnx.js';
import type { CalibrationImages } from '../calibration/collect-ranges.js';
import { asymmetricParams, fakeQuantizeValue, symmetricParams } from '../quant/quant-params.js';

// One 3x3 conv (2 -> 3 channels, pad 1) on a 5x5 map: the QDQ model against a plain fake-quant
// convolution written here, and against the worst-case error bound of 8-bit inputs and weights.
const C_IN = 2;
const C_OUT = 3;
const S = 5;
const K = 3;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const draw = lcg(7);
const weights = Float32Array.from({ length: C_OUT * C_IN * K * K }, (_, i) => (draw() - 0.5) * (1 + (i % 5)));
const bias = Float32Array.of(0.1, -0.2, 0.05);
const image = (seed: number) => {
  const r = lcg(seed);
  return Float32Array.from({ length: C_IN * S * S }, () => r() * 2 - 0.4);
};
const inputs = [image(1), image(2), image(3)];
const calibration: CalibrationImages = { count: inputs.length, image: async (i) => ({ data: inputs[i] as Float32Array, dims: [1, C_IN, S, S] }) };

const bytes = new OnnxModelBuilder({ opset: 13 })
  .input('x', [1, C_IN, S, S])
  .initializer('w', weights, [C_OUT, C_IN, K, K])
  .initializer('b', bias, [C_OUT])
  .node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [K, K], pads: [1, 1, 1, 1] }, { name: 'conv' })
  .output('y', [1, C_OUT, S, S])
  .encode();
const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled' });

/** conv(x, w) + b, NCHW, pad 1, by loops. */
function conv(x: Float32Array, w: Float32Array): Float32Array {
  const y = new Float32Array(C_OUT * S * S);
  for (let o = 0; o < C_OUT; o++)
    for (let r = 0; r < S; r++)
      for (let c = 0; c < S; c++) {
        let sum = bias[o] as number;
        for (let i = 0; i < C_IN; i++)
          for (let kr = 0; kr < K; kr++)
            for (let kc = 0; kc < K; kc++) {
              const rr = r + kr - 1;
              const cc = c + kc - 1;
              if (rr < 0 || cc < 0 || rr >= S || cc >= S) continue;
              sum += (x[i * S * S + rr * S + cc] as number) * (w[((o * C_IN + i) * K + kr) * K + kc] as number);
            }
        y[o * S * S + r * S + c] = sum;
      }
  return y;
}

async function runOrt(model: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const session = await sessions.create(model);
  try {
    return ((await session.run({ x: { data: x, dims: [1, C_IN, S, S] } }))['y'] as { data: Float32Array }).data;
  } finally {
    await session.release();
  }
}

describe('writeQdq: one conv', () => {
  it('runs in onnxruntime as the fake-quantized conv computed by hand, within the 8-bit error bound of the float conv', async () => {
    const result = await quantizeOnnx(parseOnnxModel(bytes, 'one-conv'), { images: calibration, sessions, method: 'minmax' });
    const model = parseOnnxModel(result.bytes, 'qdq');
    expect(model.nodes.map((n) => n.opType)).toEqual(['QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'Conv']);
    expect(model.initializers().has('w')).toBe(false);
    // Hand: the input range over the three images, scales by definition.
    let min = Infinity;
    let max = -Infinity;
    for (const x of inputs) for (const v of x) [min, max] = [Math.min(min, v), Math.max(max, v)];
    const xp = asymmetricParams({ min, max });
    expect(result.layers[0]?.activation.scale).toBeCloseTo((max - Math.min(min, 0)) / 255, 12);
    const per = C_IN * K * K;
    const wq = new Float32Array(weights.length);
    const ws: number[] = [];
    for (let o = 0; o < C_OUT; o++) {
      const amax = Math.max(...Array.from(weights.subarray(o * per, (o + 1) * per), Math.abs));
      const p = symmetricParams(amax);
      ws.push(p.scale);
      for (let i = o * per; i < (o + 1) * per; i++) wq[i] = fakeQuantizeValue(weights[i] as number, { ...p, scale: Math.fround(p.scale) });
    }
    for (const x of inputs) {
      const got = await runOrt(result.bytes, x);
      const hand = conv(x.map((v) => fakeQuantizeValue(v, { ...xp, scale: Math.fround(xp.scale) })), wq);
      const float = conv(x, weights);
      for (let j = 0; j < got.length; j++) expect(got[j]).toBeCloseTo(hand[j] as number, 4);
      // |Q(x)Q(w) - xw| <= |Q(x) - x| |Q(w)| + |x| |Q(w) - w| <= (s_x / 2) |Q(w)| + |x| (s_w / 2), summed over the window.
      const absWq = wq.map(Math.abs);
      const bound = conv(new Float32Array(x.length).fill(xp.scale / 2), absWq).map((v, j) => v - (bias[Math.floor(j / (S * S))] as number));
      const absX = x.map(Math.abs);
      for (let o = 0; o < C_OUT; o++) {
        const half = new Float32Array(weights.length);
        half.fill((ws[o] as number) / 2, o * per, (o + 1) * per);
        const part = conv(absX, half);
        for (let j = o * S * S; j < (o + 1) * S * S; j++) bound[j] = (bound[j] as number) + (part[j] as number) - (bias[o] as number);
      }
      let worstShare = 0;
      for (let j = 0; j < got.length; j++) {
        const error = Math.abs((got[j] as number) - (float[j] as number));
        expect(error).toBeLessThanOrEqual((bound[j] as number) + 1e-5);
        worstShare = Math.max(worstShare, error / (bound[j] as number));
      }
      expect(worstShare).toBeGreaterThan(0.05);
    }
  });

  it('with quantizeOutputs: int32 bias at s_x * s_w and a Q/DQ pair on the output, the group onnxruntime fuses into QLinearConv', async () => {
    // The conv's output feeds a Relu (a graph output itself is never quantized).
    const withRelu = new OnnxModelBuilder({ opset: 13 })
      .input('x', [1, C_IN, S, S])
      .initializer('w', weights, [C_OUT, C_IN, K, K])
      .initializer('b', bias, [C_OUT])
      .node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [K, K], pads: [1, 1, 1, 1] }, { name: 'conv' })
      .node('Relu', ['y'], ['r'], {}, { name: 'relu' })
      .output('r', [1, C_OUT, S, S])
      .encode();
    const result = await quantizeOnnx(parseOnnxModel(withRelu, 'conv-relu'), { images: calibration, sessions, method: 'minmax', quantizeOutputs: true });
    const model = parseOnnxModel(result.bytes, 'qdq');
    expect(model.nodes.map((n) => n.opType)).toEqual(['QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'Conv', 'QuantizeLinear', 'DequantizeLinear', 'Relu']);
    expect(model.nodes.at(-1)?.inputs).toEqual(['y_dequantized']);
    expect(model.initializers().has('b')).toBe(false);
    expect(model.intInitializers().get('conv_bias_quantized')?.dims).toEqual([C_OUT]);
    const sx = result.layers[0]?.activation.scale as number;
    let min = Infinity;
    let max = -Infinity;
    for (const x of inputs) for (const v of conv(x, weights)) [min, max] = [Math.min(min, v), Math.max(max, v)];
    const per = C_IN * K * K;
    const ws = Array.from({ length: C_OUT }, (_, o) => Math.fround(symmetricParams(Math.max(...Array.from(weights.subarray(o * per, (o + 1) * per), Math.abs))).scale));
    const wq = weights.map((w, i) => fakeQuantizeValue(w, { scale: ws[Math.floor(i / per)] as number, zeroPoint: 0, type: 'int8' }));
    const xp = { ...asymmetricParams({ min: Math.min(...inputs.flatMap((x) => Array.from(x))), max: Math.max(...inputs.flatMap((x) => Array.from(x))) }), scale: Math.fround(sx) };
    for (const x of inputs) {
      const session = await sessions.create(result.bytes);
      const got = ((await session.run({ x: { data: x, dims: [1, C_IN, S, S] } }))['r'] as { data: Float32Array }).data;
      await session.release();
      // By hand: the conv of the 8-bit input and kernels, its bias on the int32 grid, then the output's 8-bit grid (calibrated on the float conv's outputs).
      const y = conv(x.map((v) => fakeQuantizeValue(v, xp)), wq).map((v, j) => {
        const o = Math.floor(j / (S * S));
        const step = Math.fround((ws[o] as number) * xp.scale);
        return v - (bias[o] as number) + Math.round((bias[o] as number) / step) * step;
      });
      const yp = asymmetricParams({ min, max });
      for (let j = 0; j < got.length; j++) expect(Math.abs((got[j] as number) - Math.max(0, fakeQuantizeValue(y[j] as number, yp)))).toBeLessThanOrEqual(yp.scale * 1.001);
    }
  });
});
