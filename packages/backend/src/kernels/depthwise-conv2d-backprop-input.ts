import {
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { forwardGeometry, inputGradientPadding } from './conv-geometry.js';
import { correlate, dilateSpatial } from './spatial-ops.js';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * dx[.., c] = sum over m of (dy dilated by the stride)[.., c*M+m] correlated with the spatially
 * flipped filter [.., c, m]: one depthwise conv over C*M channels, then a sum over M.
 */
export function depthwiseConv2DBackpropInputFor(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
    const dilation = typeof dilations === 'number' ? [dilations, dilations] : dilations;
    if (dilation && (dilation[0] !== 1 || dilation[1] !== 1)) throw new Error(`DepthwiseConv2dNativeBackpropInput on ${backendName}: dilation > 1 is not supported`);
    const g = forwardGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, true);
    const [filterHeight, filterWidth, channels, multiplier] = filter.shape as [number, number, number, number];
    const calls = new KernelCalls(backend as KernelBackend, backendName);

    const rows = inputGradientPadding(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
    const cols = inputGradientPadding(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
    // The dilated map carries s-1 trailing zeros; they stand in for that much of the bottom/right padding.
    const dilated = dilateSpatial(calls, dy, g.strideHeight, g.strideWidth);
    const flipped = calls.reshape(calls.reverse(filter, [0, 1]), [filterHeight, filterWidth, channels * multiplier, 1]);
    const spread = correlate(calls, 'DepthwiseConv2dNative', dilated, flipped, [rows.before, cols.before], [
      rows.after - (g.strideHeight - 1),
      cols.after - (g.strideWidth - 1),
    ]); // [N, H, W, C*M]
    if (multiplier === 1) return calls.release(spread);
    const split = calls.reshape(spread, [g.batch, g.inHeight, g.inWidth, channels, multiplier]);
    return calls.release(calls.sum(split, [4]));
  };
}

export const depthwiseConv2DBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2DBackpropInputFor('wasm'),
};
