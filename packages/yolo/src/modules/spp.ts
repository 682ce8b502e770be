import * as tf from '@tensorflow/tfjs-core';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels } from './module-entry.js';

export interface SppArgs {
  readonly c2: number;
  readonly kernels: readonly number[];
}

/** `SPP`: `cv2(cat(x', maxpool_k(x') for k in kernels))` with `x' = cv1(x)` at `c1 // 2` channels. */
export const sppModule = defineModule<SppArgs>({
  name: 'SPP',
  signature: '[c2, k=(5, 9, 13)]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(2);
    let kernels: readonly number[] = [5, 9, 13];
    if (args.has(1)) {
      const k = args.raw(1);
      if (!Array.isArray(k) || k.length === 0 || !k.every((v) => Number.isInteger(v) && (v as number) > 0 && (v as number) % 2 === 1)) {
        throw args.error(1, `argument 1 (k) must be a list of odd pool sizes like [5, 9, 13], found ${JSON.stringify(k)}`);
      }
      kernels = k as number[];
    }
    return { c2: args.int(0, 'c2'), kernels };
  },
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (_args, [stride = 1]) => stride,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels: c2, params, activation }) {
    const hidden = Math.floor(c1 / 2);
    const cv1 = new ConvBnAct(params, `${prefix}.cv1`, c1, hidden, { kernel: 1, activation });
    const cv2 = new ConvBnAct(params, `${prefix}.cv2`, hidden * (args.kernels.length + 1), c2, { kernel: 1, activation });
    return {
      kind: 'layer',
      forward([x], { training }) {
        const y = cv1.forward(x!, training);
        return cv2.forward(tf.concat([y, ...args.kernels.map((k) => tf.maxPool(y, k, 1, 'same'))], 3), training);
      },
    };
  },
});
