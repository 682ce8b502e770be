import {
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { forwardGeometry } from './conv-geometry.js';
import { weightGradientInput } from './spatial-ops.js';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * dW[kh,kw,c,m] = sum over n,oh,ow of x[n, oh*s+kh-p, ow*s+kw-p, c] * dy[n,oh,ow,c*M+m].
 * One depthwise conv with the batch folded into channels: x as [1,H,W,C*N], dy (dilated by the
 * stride) as a [OH,OW,C*N,M] filter, then a sum over N.
 */
export function depthwiseConv2DBackpropFilterFor(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    const dilation = typeof dilations === 'number' ? [dilations, dilations] : dilations;
    if (dilation && (dilation[0] !== 1 || dilation[1] !== 1)) throw new Error(`DepthwiseConv2dNativeBackpropFilter on ${backendName}: dilation > 1 is not supported`);
    const g = forwardGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, true);
    const multiplier = filterShape[3];
    const channels = g.inChannels;
    const calls = new KernelCalls(backend as KernelBackend, backendName);

    const { input, pad: correlationPad } = weightGradientInput(calls, x, g);
    const [, height, width] = input.shape as [number, number, number, number];
    const xFolded = calls.reshape(calls.transpose(input, [1, 2, 3, 0]), [1, height, width, channels * g.batch]);
    const dy5 = calls.reshape(dy, [g.batch, g.outHeight, g.outWidth, channels, multiplier]);
    const dyFolded = calls.reshape(calls.transpose(dy5, [1, 2, 3, 0, 4]), [g.outHeight, g.outWidth, channels * g.batch, multiplier]);
    const perSample = calls.run(
      'DepthwiseConv2dNative',
      { x: xFolded, filter: dyFolded },
      {
        strides: [1, 1],
        pad: correlationPad,
        dilations: [g.strideHeight, g.strideWidth],
      },
    ); // [1, KH, KW, C*N*M]
    const split = calls.reshape(perSample, [g.filterHeight, g.filterWidth, channels, g.batch, multiplier]);
    return calls.release(calls.sum(split, [3]));
  };
}

export const depthwiseConv2DBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2DBackpropFilterFor('wasm'),
};
