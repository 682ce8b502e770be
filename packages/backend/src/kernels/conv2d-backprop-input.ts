import { Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { forwardGeometry, inputGradientPadding } from './conv-geometry.js';
import { cropSpatial, dilateSpatial, dropLeading } from './dilate.js';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * dx = dy (dilated by the stride) correlated with the filter flipped in space and transposed
 * (Co <-> Ci), padded so the output has the input's size. 1x1, stride 1, unpadded: one matmul dy W^T.
 */
export function conv2DBackpropInputFor(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on ${backendName} supports NHWC only, got ${dataFormat}`);
    const g = forwardGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, false);
    const outChannels = filter.shape[3] as number;
    const calls = new KernelCalls(backend as KernelBackend, backendName);

    if (g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop === 0 && g.padLeft === 0) {
      const pixels = g.batch * g.inHeight * g.inWidth;
      const dy2 = calls.reshape(dy, [1, pixels, outChannels]);
      const w2 = calls.reshape(filter, [1, g.inChannels, outChannels]);
      const product = calls.run('BatchMatMul', { a: dy2, b: w2 }, { transposeA: false, transposeB: true });
      return calls.release(calls.reshape(product, [g.batch, g.inHeight, g.inWidth, g.inChannels]));
    }

    const rows = inputGradientPadding(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
    const cols = inputGradientPadding(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
    // The dilated map carries s-1 trailing zeros; they stand in for that much of the bottom/right padding.
    // Padding wider than the filter (negative `before`) drops leading rows of the dilated map instead.
    let dilated = dropLeading(calls, dilateSpatial(calls, dy, g.strideHeight, g.strideWidth), -Math.min(0, rows.before), -Math.min(0, cols.before));
    let after = [rows.after - (g.strideHeight - 1), cols.after - (g.strideWidth - 1)] as [number, number];
    if (after[0] < 0 || after[1] < 0) {
      const [, h, w] = dilated.shape as [number, number, number, number];
      dilated = cropSpatial(calls, dilated, h + Math.min(0, after[0]), w + Math.min(0, after[1]));
      after = [Math.max(0, after[0]), Math.max(0, after[1])];
    }
    const flipped = calls.transpose(calls.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    const dx = calls.run(
      'Conv2D',
      { x: dilated, filter: flipped },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [Math.max(0, rows.before), after[0]],
          [Math.max(0, cols.before), after[1]],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    return calls.release(dx);
  };
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputFor('wasm'),
};
