import * as tf from '@tensorflow/tfjs-core';
import { timeKernel, round } from './timing.js';
import type { ConvShape } from '@yolo-distill/backend/probe-net';

export interface KernelRow {
  readonly shape: string;
  readonly forwardMs: number;
  readonly backpropInputMs: number;
  readonly backpropFilterMs: number;
  readonly inputRatio: number;
  readonly filterRatio: number;
  readonly stockBackpropInputMs?: number;
}

const describe = (s: ConvShape) => `${s.input.join('x')} k${s.filter[0]} s${s.stride} p${s.pad} -> ${s.filter[3]}`;

function padOf(s: ConvShape): 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
  return s.pad === 0 ? 'valid' : [[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]];
}

/** Distinct conv shapes, in network order. */
export function distinctShapes(shapes: readonly ConvShape[]): ConvShape[] {
  const seen = new Map<string, ConvShape>();
  for (const shape of shapes) seen.set(describe(shape), shape);
  return [...seen.values()];
}

/** Forward, backprop-input and backprop-filter time for each shape on the current backend. */
export async function timeConvShapes(
  shapes: readonly ConvShape[],
  repeats: number,
  stockBackpropInput?: (dy: tf.Tensor4D, filter: tf.Tensor4D, s: ConvShape) => tf.Tensor,
): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  for (const s of distinctShapes(shapes)) {
    const x = tf.randomNormal(s.input) as tf.Tensor4D;
    const w = tf.randomNormal(s.filter) as tf.Tensor4D;
    const y = tf.conv2d(x, w, s.stride, padOf(s));
    const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
    // Weights change every training step, so every kernel sees a filter it has not packed before.
    let fresh = tf.clone(w);
    const renew = () => {
      fresh.dispose();
      fresh = tf.clone(w);
    };
    const forward = await timeKernel(() => tf.conv2d(x, fresh, s.stride, padOf(s)), repeats, 2, renew);
    const input = await timeKernel(() => tf.conv2dTranspose(dy, fresh, s.input, s.stride, padOf(s) as 'valid'), repeats, 2, renew);
    fresh.dispose();
    const filter = await timeKernel(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s.stride, pad: padOf(s), dataFormat: 'NHWC', filterShape: s.filter }) as tf.Tensor,
      repeats,
    );
    const stock = stockBackpropInput ? await timeKernel(() => stockBackpropInput(dy, w, s), repeats) : undefined;
    rows.push({
      shape: describe(s),
      forwardMs: forward.medianMs,
      backpropInputMs: input.medianMs,
      backpropFilterMs: filter.medianMs,
      inputRatio: round(input.medianMs / forward.medianMs),
      filterRatio: round(filter.medianMs / forward.medianMs),
      ...(stock ? { stockBackpropInputMs: stock.medianMs } : {}),
    });
    tf.dispose([x, w, y, dy]);
  }
  return rows;
}
