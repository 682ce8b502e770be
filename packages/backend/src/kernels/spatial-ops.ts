import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { weightGradientPadding, type ForwardConvGeometry } from './conv-geometry.js';
import type { KernelCalls } from './wasm-kernel-calls.js';

/**
 * Spreads an NHWC map by the stride: `s - 1` zero rows/columns after every row/column, including
 * after the last one (length `size * s`); callers account for that trailing band in their padding.
 */
export function dilateSpatial(calls: KernelCalls, x: TensorInfo, strideHeight: number, strideWidth: number): TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const spread = calls.reshape(x, [n, h, 1, w, 1, c]);
  const padded = calls.pad(spread, [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return calls.reshape(padded, [n, h * strideHeight, w * strideWidth, c]);
}

/** Crops an NHWC map to `height` x `width` from its top-left corner when it is larger. */
export function cropSpatial(calls: KernelCalls, x: TensorInfo, height: number, width: number): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (h === height && w === width) return x;
  return calls.slice(x, [0, 0, 0, 0], [n, Math.min(h, height), Math.min(w, width), c]);
}

/** Drops the first `rows` rows and `cols` columns of an NHWC map. */
export function dropLeading(calls: KernelCalls, x: TensorInfo, rows: number, cols: number): TensorInfo {
  if (rows === 0 && cols === 0) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  return calls.slice(x, [0, rows, cols, 0], [n, h - rows, w - cols, c]);
}

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * What both weight-gradient kernels correlate: x cropped of the trailing rows/columns the forward conv
 * never read, and the explicit padding that makes the correlation with dy (dilated by the stride)
 * come out exactly filter-sized.
 */
export function weightGradientInput(calls: KernelCalls, x: TensorInfo, g: ForwardConvGeometry): { input: TensorInfo; pad: ExplicitPadding } {
  const rows = weightGradientPadding(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const cols = weightGradientPadding(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  const input = cropSpatial(calls, x, g.inHeight + Math.min(0, rows.after), g.inWidth + Math.min(0, cols.after));
  return {
    input,
    pad: [
      [0, 0],
      [rows.before, Math.max(0, rows.after)],
      [cols.before, Math.max(0, cols.after)],
      [0, 0],
    ],
  };
}

/**
 * A stride-1 correlation (`Conv2D` or `DepthwiseConv2dNative`) with explicit, possibly negative
 * padding: a negative side crops that edge of x first.
 */
export function correlate(
  calls: KernelCalls,
  kernel: 'Conv2D' | 'DepthwiseConv2dNative',
  x: TensorInfo,
  filter: TensorInfo,
  before: readonly [number, number],
  after: readonly [number, number],
): TensorInfo {
  const [, h, w] = x.shape as [number, number, number, number];
  let input = dropLeading(calls, x, -Math.min(0, before[0]), -Math.min(0, before[1]));
  input = cropSpatial(calls, input, h - Math.max(0, -before[0]) + Math.min(0, after[0]), w - Math.max(0, -before[1]) + Math.min(0, after[1]));
  const pad: ExplicitPadding = [
    [0, 0],
    [Math.max(0, before[0]), Math.max(0, after[0])],
    [Math.max(0, before[1]), Math.max(0, after[1])],
    [0, 0],
  ];
  const attrs: NamedAttrMap = { strides: [1, 1], pad, dilations: [1, 1] };
  if (kernel === 'Conv2D') attrs['dataFormat'] = 'NHWC';
  return calls.run(kernel, { x: input, filter }, attrs);
}
