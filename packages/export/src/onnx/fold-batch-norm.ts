// Conv (+ bias) followed by inference BatchNorm, folded into one conv as Ultralytics' fuse_conv_and_bn does.

export interface BatchNormValues {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly eps: number;
}

export interface FoldedConv {
  /** OIHW `[cout, cin, kh, kw]`, as ONNX's Conv takes it (`foldConvHwio`: HWIO `[kh, kw, cin, cout]`). */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly dims: readonly [number, number, number, number];
}

/**
 * A conv kernel stored HWIO (`[kh, kw, cin, cout]`, tfjs) as OIHW, with an optional BatchNorm folded
 * in: `w' = w * s`, `b' = (b - mean) * s + beta` per output channel with `s = gamma / sqrt(var + eps)`
 * (computed in float64, rounded once). Without a BatchNorm the bias is kept (zeros when absent).
 */
export function foldConv(kernel: Float32Array, shape: readonly number[], bias: Float32Array | undefined, bn: BatchNormValues | undefined): FoldedConv {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const { scale, shift } = scaleAndShift(kernel, shape, bias, bn);
  const weight = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        const from = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) weight[((o * cin + i) * kh + y) * kw + x] = (kernel[from + o] as number) * (scale[o] as number);
      }
    }
  }
  return { weight, bias: Float32Array.from(shift), dims: [cout, cin, kh, kw] };
}

/** The same fold keeping tfjs's HWIO layout (`[kh, kw, cin, cout]`), as TensorFlow's Conv2D takes it. */
export function foldConvHwio(kernel: Float32Array, shape: readonly number[], bias: Float32Array | undefined, bn: BatchNormValues | undefined): FoldedConv {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const { scale, shift } = scaleAndShift(kernel, shape, bias, bn);
  const weight = new Float32Array(kernel.length);
  for (let k = 0; k < kernel.length; k++) weight[k] = (kernel[k] as number) * (scale[k % cout] as number);
  return { weight, bias: Float32Array.from(shift), dims: [kh, kw, cin, cout] };
}

/** Per output channel `s = gamma / sqrt(var + eps)` and `(b - mean) * s + beta` in float64 (1 and `b` without a BatchNorm). */
function scaleAndShift(kernel: Float32Array, shape: readonly number[], bias: Float32Array | undefined, bn: BatchNormValues | undefined): { scale: Float64Array; shift: Float64Array } {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  if (kernel.length !== kh * kw * cin * cout) throw new Error(`foldConv: ${kernel.length} kernel values do not fill [${shape.join(', ')}]`);
  for (const [name, values] of Object.entries({ bias, gamma: bn?.gamma, beta: bn?.beta, mean: bn?.mean, variance: bn?.variance })) {
    if (values && values.length !== cout) throw new Error(`foldConv: ${name} has ${values.length} values, the conv has ${cout} output channels`);
  }
  const scale = new Float64Array(cout).fill(1);
  const shift = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    const b = bias ? (bias[o] as number) : 0;
    if (bn) {
      scale[o] = (bn.gamma[o] as number) / Math.sqrt((bn.variance[o] as number) + bn.eps);
      shift[o] = (b - (bn.mean[o] as number)) * (scale[o] as number) + (bn.beta[o] as number);
    } else {
      shift[o] = b;
    }
  }
  return { scale, shift };
}
