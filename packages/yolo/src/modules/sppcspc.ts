import * as tf from '@tensorflow/tfjs-core';
import { ConvBnAct } from './conv-layers.js';
import { defineModule, scaleChannels } from './module-entry.js';
import { torchMaxPool } from './max-pool.js';

export interface SppcspcArgs {
  readonly c2: number;
  readonly e: number;
  readonly kernels: readonly number[];
}

/**
 * WongKinYiu/yolov7's `SPPCSPC(c1, c2, n=1, shortcut=False, g=1, e=0.5, k=(5, 9, 13))`: with `c_ = int(2 * c2 * e)`,
 * `x1 = cv4(cv3(cv1(x)))`, `y1 = cv6(cv5(cat(x1, maxpool_k(x1) for k)))`, `y2 = cv2(x)`, `cv7(cat(y1, y2))`.
 * The YAML writes `[c2]` (parse_model inserts `n`, which the module ignores).
 */
export const sppcspcModule = defineModule<SppcspcArgs>({
  name: 'SPPCSPC',
  signature: '[c2, shortcut=False, g=1, e=0.5, k=(5, 9, 13)]',
  repeat: 'internal',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(5);
    args.bool(1, 'shortcut', false);
    args.ungrouped(2);
    let kernels: readonly number[] = [5, 9, 13];
    if (args.has(4)) {
      const k = args.raw(4);
      if (!Array.isArray(k) || k.length === 0 || !k.every((v) => Number.isInteger(v) && (v as number) > 0 && (v as number) % 2 === 1)) {
        throw args.error(4, `argument 4 (k) must be a list of odd pool sizes like [5, 9, 13], found ${JSON.stringify(k)}`);
      }
      kernels = k as number[];
    }
    return { c2: args.int(0, 'c2'), e: args.number(3, 'e', { default: 0.5, min: 0, exclusiveMin: true }), kernels };
  },
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (_args, [stride = 1]) => stride,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels: c2, params, activation }) {
    const hidden = Math.trunc(2 * c2 * args.e);
    const conv = (name: string, cin: number, cout: number, kernel: number) => new ConvBnAct(params, `${prefix}.${name}`, cin, cout, { kernel, activation });
    const cv1 = conv('cv1', c1, hidden, 1);
    const cv2 = conv('cv2', c1, hidden, 1);
    const cv3 = conv('cv3', hidden, hidden, 3);
    const cv4 = conv('cv4', hidden, hidden, 1);
    const cv5 = conv('cv5', hidden * (args.kernels.length + 1), hidden, 1);
    const cv6 = conv('cv6', hidden, hidden, 3);
    const cv7 = conv('cv7', 2 * hidden, c2, 1);
    return {
      kind: 'layer',
      forward([x], { training }) {
        const x1 = cv4.forward(cv3.forward(cv1.forward(x!, training), training), training);
        const pooled = [x1, ...args.kernels.map((k) => torchMaxPool(x1, { k, s: 1, p: Math.floor(k / 2) }))];
        const y1 = cv6.forward(cv5.forward(tf.concat(pooled, 3), training), training);
        return cv7.forward(tf.concat([y1, cv2.forward(x!, training)], 3), training);
      },
    };
  },
});
