import { backend_util } from '@tensorflow/tfjs-core';

type PadAttr = 'valid' | 'same' | number | backend_util.ExplicitPadding;

export interface ForwardConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** The forward convolution a gradient belongs to, as tfjs computes it (same padding split, rounding). */
export function forwardGeometry(
  inputShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: PadAttr,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ForwardConvGeometry {
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Padding of the correlation that yields the weight gradient: input x (rows `inHeight`), "filter" dy
 * dilated by the stride, output exactly `filterHeight` rows. `after` < 0 means x has trailing rows the
 * forward conv never read; the caller crops them.
 */
export function weightGradientPadding(inSize: number, outSize: number, filterSize: number, stride: number, padBefore: number): { before: number; after: number } {
  return { before: padBefore, after: filterSize + (outSize - 1) * stride - inSize - padBefore };
}

/**
 * Padding of the correlation that yields the input gradient: dy dilated by the stride (length
 * (out-1)*stride+1) against the flipped filter, output exactly `inSize` rows.
 */
export function inputGradientPadding(inSize: number, outSize: number, filterSize: number, stride: number, padBefore: number): { before: number; after: number } {
  const dilatedLength = (outSize - 1) * stride + 1;
  const before = filterSize - 1 - padBefore;
  return { before, after: inSize + filterSize - 1 - dilatedLength - before };
}
