import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { forwardGeometry, inputGradientPadding, type ForwardConvGeometry } from './conv-geometry.js';
import { correlate } from './spatial-ops.js';
import { KernelCalls } from './wasm-kernel-calls.js';

/**
 * Taps of the input-gradient filter: Co and Ci swapped, the taps `rows` x `cols` of the original
 * filter picked in reverse order (the spatial flip) as contiguous [Co, Ci] slices joined by Concat;
 * the backend's Reverse, StridedSlice and Gather on filters are several times slower.
 */
class FlippedFilter {
  private readonly taps: TensorInfo;
  private readonly width: number;
  private readonly count: number;
  private readonly inChannels: number;
  private readonly outChannels: number;

  constructor(
    private readonly calls: KernelCalls,
    filter: TensorInfo,
  ) {
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const transposed = kh * kw === 1 ? calls.reshape(calls.transpose(calls.reshape(filter, [ci, co]), [1, 0]), [1, co, ci]) : calls.transpose(filter, [0, 1, 3, 2]);
    this.taps = calls.reshape(transposed, [kh * kw, co, ci]);
    this.count = kh * kw;
    this.width = kw;
    this.inChannels = ci;
    this.outChannels = co;
  }

  /** The sub-filter of taps (rows[i], cols[j]), flipped: [rows.length, cols.length, Co, Ci]. */
  pick(rows: readonly number[], cols: readonly number[]): TensorInfo {
    const indices = [...rows].reverse().flatMap((r) => [...cols].reverse().map((c) => r * this.width + c));
    const shape = [rows.length, cols.length, this.outChannels, this.inChannels];
    if (this.count === 1) return this.calls.reshape(this.taps, shape);
    const picked = indices.map((index) => this.calls.slice(this.taps, [index, 0, 0], [1, this.outChannels, this.inChannels]));
    const joined = picked.length === 1 ? (picked[0] as TensorInfo) : this.calls.run('Concat', picked as unknown as Record<string, TensorInfo>, { axis: 0 });
    return this.calls.reshape(joined, shape);
  }
}

/** The interleaved phases cover rows/columns from -padTop/-padLeft on; keep exactly the input's extent. */
function cropToInput(calls: KernelCalls, full: TensorInfo, g: ForwardConvGeometry): TensorInfo {
  const [, height, width, channels] = full.shape as [number, number, number, number];
  if (g.padTop === 0 && g.padLeft === 0 && height === g.inHeight && width === g.inWidth) return full;
  return calls.slice(full, [0, g.padTop, g.padLeft, 0], [g.batch, g.inHeight, g.inWidth, channels]);
}

const range = (start: number, end: number, step = 1): number[] => {
  const values: number[] = [];
  for (let i = start; i < end; i += step) values.push(i);
  return values;
};

/** Stride 1: dx = dy correlated with the flipped, transposed filter, padded to the input's size. */
function strideOne(calls: KernelCalls, dy: TensorInfo, filter: TensorInfo, g: ForwardConvGeometry): TensorInfo {
  const rows = inputGradientPadding(g.inHeight, g.outHeight, g.filterHeight, 1, g.padTop);
  const cols = inputGradientPadding(g.inWidth, g.outWidth, g.filterWidth, 1, g.padLeft);
  const flipped = new FlippedFilter(calls, filter).pick(range(0, g.filterHeight), range(0, g.filterWidth));
  return correlate(calls, 'Conv2D', dy, flipped, [rows.before, cols.before], [rows.after, cols.after]);
}

/**
 * Stride s: the s*s phases of dx (rows h with (h + padTop) mod s = rh, columns likewise) are each a
 * stride-1 correlation of dy with the sub-filter W[rh::s, rw::s]; together they cost one forward
 * conv, where correlating a zero-dilated dy would cost s*s. The phases are interleaved by stacking.
 */
function phased(calls: KernelCalls, dy: TensorInfo, filter: TensorInfo, g: ForwardConvGeometry): TensorInfo {
  const [s, t] = [g.strideHeight, g.strideWidth];
  const [kh, kw, ci] = filter.shape as [number, number, number, number];
  const flipped = new FlippedFilter(calls, filter);
  const rowsOut = Math.ceil((g.inHeight + g.padTop) / s);
  const colsOut = Math.ceil((g.inWidth + g.padLeft) / t);
  const byRow: TensorInfo[] = [];
  for (let rh = 0; rh < s; rh++) {
    const byCol: TensorInfo[] = [];
    for (let rw = 0; rw < t; rw++) {
      const tapsH = Math.max(0, Math.ceil((kh - rh) / s));
      const tapsW = Math.max(0, Math.ceil((kw - rw) / t));
      if (tapsH === 0 || tapsW === 0) {
        byCol.push(calls.run('Fill', {}, { shape: [g.batch, rowsOut, colsOut, ci], value: 0, dtype: 'float32' }));
        continue;
      }
      const sub = flipped.pick(range(rh, kh, s), range(rw, kw, t));
      byCol.push(correlate(calls, 'Conv2D', dy, sub, [tapsH - 1, tapsW - 1], [rowsOut - g.outHeight, colsOut - g.outWidth]));
    }
    byRow.push(t === 1 ? (byCol[0] as TensorInfo) : calls.run('Pack', byCol as unknown as Record<string, TensorInfo>, { axis: 3 }));
  }
  const stacked = calls.run('Pack', byRow as unknown as Record<string, TensorInfo>, { axis: 2 }); // [N, Qh, s, Qw, t, Ci]
  const full = calls.reshape(stacked, [g.batch, rowsOut * s, colsOut * t, ci]);
  return cropToInput(calls, full, g);
}

/**
 * Equal strides s: all s*s phases from ONE correlation whose filter stacks the phase sub-filters as
 * output-channel blocks (each padded at the front to the common window ceil(K/s)), then a
 * depth-to-space interleaves them. One well-shaped GEMM beats s*s thin ones plus stacking on this backend.
 */
function subPixel(calls: KernelCalls, dy: TensorInfo, filter: TensorInfo, g: ForwardConvGeometry): TensorInfo {
  const s = g.strideHeight;
  const [kh, kw, ci] = filter.shape as [number, number, number, number];
  const co = filter.shape[3] as number;
  const window = [Math.ceil(kh / s), Math.ceil(kw / s)] as const;
  const rowsOut = Math.ceil((g.inHeight + g.padTop) / s);
  const colsOut = Math.ceil((g.inWidth + g.padLeft) / s);
  const flipped = new FlippedFilter(calls, filter);
  const blocks: TensorInfo[] = [];
  for (let rh = 0; rh < s; rh++) {
    for (let rw = 0; rw < s; rw++) {
      const rows = range(rh, kh, s);
      const cols = range(rw, kw, s);
      if (rows.length === 0 || cols.length === 0) {
        blocks.push(calls.run('Fill', {}, { shape: [window[0], window[1], co, ci], value: 0, dtype: 'float32' }));
        continue;
      }
      const sub = flipped.pick(rows, cols);
      const padded = rows.length === window[0] && cols.length === window[1] ? sub : calls.pad(sub, [[window[0] - rows.length, 0], [window[1] - cols.length, 0], [0, 0], [0, 0]]);
      blocks.push(padded);
    }
  }
  const combined = calls.run('Concat', blocks as unknown as Record<string, TensorInfo>, { axis: 3 }); // [J, J, Co, s*s*Ci]
  const phases = correlate(calls, 'Conv2D', dy, combined, [window[0] - 1, window[1] - 1], [rowsOut - g.outHeight, colsOut - g.outWidth]);
  // Depth-to-space as reshape + transpose: the backend's DepthToSpace kernel is ~30x slower.
  const spread = calls.reshape(phases, [g.batch, rowsOut, colsOut, s, s, ci]);
  const full = calls.reshape(calls.transpose(spread, [0, 1, 3, 2, 4, 5]), [g.batch, rowsOut * s, colsOut * s, ci]);
  return cropToInput(calls, full, g);
}

/**
 * Measured on wasm (YOLOv5n shapes, batch 8): with few input channels the s*s phase convs are too thin
 * and one combined conv wins (stem: 2x faster); from about 64 combined channels on, separate phases win.
 */
const SUB_PIXEL_MAX_CHANNELS = 64;

/**
 * dx for a conv: stride 1 as one correlation with the flipped, transposed filter; equal larger
 * strides by sub-pixel phases in one conv (`subPixel`), unequal ones phase by phase (`phased`). 1x1, stride 1, unpadded is the same correlation without the flip.
 */
export function conv2DBackpropInputFor(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on ${backendName} supports NHWC only, got ${dataFormat}`);
    const g = forwardGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, false);
    const calls = new KernelCalls(backend as KernelBackend, backendName);
    const dx =
      g.strideHeight === 1 && g.strideWidth === 1
        ? strideOne(calls, dy, filter, g)
        : g.strideHeight === g.strideWidth && g.inChannels * g.strideHeight * g.strideWidth <= SUB_PIXEL_MAX_CHANNELS
          ? subPixel(calls, dy, filter, g)
          : phased(calls, dy, filter, g);
    return calls.release(dx);
  };
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputFor('wasm'),
};
