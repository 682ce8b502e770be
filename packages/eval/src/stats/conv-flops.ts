import * as tf from '@tensorflow/tfjs-core';
import { tensorsIn } from '../tensors-in.js';

/** One convolution kernel a computation ran: shapes as tfjs saw them (NHWC, filters HWIO) and its FLOPs. */
export interface ConvCall {
  readonly kernel: string;
  readonly input: readonly number[];
  readonly filter: readonly number[];
  readonly output: readonly number[];
  /** `2 * MACs`: 2 x output elements x filter height x width x input channels (depthwise: x 1 channel). */
  readonly flops: number;
}

const CONV_KERNELS = new Set(['Conv2D', 'FusedConv2D']);
const DEPTHWISE_KERNELS = new Set(['DepthwiseConv2dNative', 'FusedDepthwiseConv2D']);

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * Runs `fn` once under `tf.profile` and lists the 2-D convolutions it ran, in order, with their FLOPs
 * (thop's convention x 2: `2 x output elements x kh x kw x cin/groups`; bias, activation, pooling,
 * upsampling, additions not counted). What `fn` returns is disposed.
 */
export async function profileConvolutions(fn: () => unknown): Promise<{ convs: ConvCall[]; flops: number }> {
  const info = await tf.profile(() => tf.tidy(() => tensorsIn(fn()).map((t) => t.clone())));
  tf.dispose(tensorsIn(info.result));
  const convs: ConvCall[] = [];
  for (const k of info.kernels) {
    const depthwise = DEPTHWISE_KERNELS.has(k.name);
    if (!depthwise && !CONV_KERNELS.has(k.name)) continue;
    const input = k.inputShapes[0] ?? [];
    const filter = k.inputShapes[1] ?? [];
    const output = k.outputShapes[0] ?? [];
    if (filter.length !== 4 || output.length !== 4) throw new Error(`profileConvolutions: ${k.name} with filter [${filter.join(', ')}] and output [${output.join(', ')}] is not a 2-D convolution`);
    const [kh, kw, cin] = filter as [number, number, number, number];
    convs.push({ kernel: k.name, input, filter, output, flops: 2 * product(output) * kh * kw * (depthwise ? 1 : cin) });
  }
  return { convs, flops: convs.reduce((sum, c) => sum + c.flops, 0) };
}
