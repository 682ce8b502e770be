import { Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type Conv2DBackpropFilterInputs, type KernelConfig, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { forwardGeometry } from './conv-geometry.js';
import { weightGradientInput } from './spatial-ops.js';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-p, ow*s+kw-p, ci] * dy[n,oh,ow,co].
 * 1x1, stride 1, unpadded: x^T dy as a 1x1 conv. Otherwise one forward conv with roles swapped: input
 * channels as the batch, the batch as channels, dy (dilated by the stride) as the filter.
 */
export function conv2DBackpropFilterFor(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as unknown as Conv2DBackpropFilterInputs & { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on ${backendName} supports NHWC only, got ${dataFormat}`);
    const g = forwardGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, false);
    const outChannels = filterShape[3];
    const calls = new KernelCalls(backend as KernelBackend, backendName);

    if (g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop === 0 && g.padLeft === 0) {
      // x^T dy as a 1x1 conv (the backend's BatchMatMul is far slower than its conv). Whichever of x
      // and dy has fewer channels is transposed into the "pixels" of that conv; the other is its filter.
      const pixels = g.batch * g.inHeight * g.inWidth;
      const transposeX = g.inChannels <= outChannels;
      const [rowsOf, filterOf, rowChannels, filterChannels] = transposeX ? [x, dy, g.inChannels, outChannels] : [dy, x, outChannels, g.inChannels];
      const rows = calls.reshape(calls.transpose(calls.reshape(rowsOf, [pixels, rowChannels]), [1, 0]), [1, rowChannels, 1, pixels]);
      const filterAsWeights = calls.reshape(filterOf, [1, 1, pixels, filterChannels]);
      const product = calls.run('Conv2D', { x: rows, filter: filterAsWeights }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
      const square = calls.reshape(product, [rowChannels, filterChannels]);
      const weights = transposeX ? square : calls.transpose(square, [1, 0]);
      return calls.release(calls.reshape(weights, [1, 1, g.inChannels, outChannels]));
    }

    const { input, pad: correlationPad } = weightGradientInput(calls, x, g);
    const xT = calls.transpose(input, [3, 1, 2, 0]); // [Ci, H, W, N]
    const dyT = calls.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, Co]
    const swapped = calls.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: correlationPad,
        dataFormat: 'NHWC',
        dilations: [g.strideHeight, g.strideWidth],
      },
    ); // [Ci, KH, KW, Co]
    return calls.release(calls.transpose(swapped, [1, 2, 0, 3]));
  };
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterFor('wasm'),
};
