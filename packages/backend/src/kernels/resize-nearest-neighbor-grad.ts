import {
  getKernel,
  ResizeNearestNeighborGrad,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type ResizeNearestNeighborGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * The gradient of a nearest-neighbour upsample by an integer factor (YOLO's Upsample(2)): each input
 * pixel receives the sum of its k x k output block, a reshape and one Sum. The cpu backend's own
 * kernel adds the wrong image's gradient for batch > 1 (tfjs 4.22), so it is replaced there too;
 * non-integer factors, aligned corners and half-pixel centres go to the stock kernel.
 */
export function resizeNearestNeighborGradFor(backendName: string, stock: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as ResizeNearestNeighborGradAttrs;
    const [n, h, w, c] = images.shape as [number, number, number, number];
    const [, outH, outW] = dy.shape as [number, number, number, number];
    const integer = outH % h === 0 && outW % w === 0;
    if (!integer || alignCorners || halfPixelCenters) {
      if (!stock) throw new Error(`ResizeNearestNeighborGrad on ${backendName}: only integer upsampling factors are supported`);
      return stock(args);
    }
    const calls = new KernelCalls(args.backend as KernelBackend, backendName);
    const blocks = calls.reshape(dy, [n, h, outH / h, w, outW / w, c]);
    return calls.release(calls.sum(blocks, [2, 4]));
  };
}

/** The replacement for one backend, wrapping that backend's stock kernel for the cases it leaves to it. */
export function resizeNearestNeighborGradConfig(backendName: string): KernelConfig {
  const stock = getKernel(ResizeNearestNeighborGrad, backendName)?.kernelFunc;
  return { kernelName: ResizeNearestNeighborGrad, backendName, kernelFunc: resizeNearestNeighborGradFor(backendName, stock) };
}
