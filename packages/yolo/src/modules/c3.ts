import * as tf from '@tensorflow/tfjs-core';
import { BottleneckBlock } from './bottleneck.js';
import { ConvBnAct } from './conv-layers.js';
import { parseCspArgs, type CspArgs } from './csp-args.js';
import { defineModule, scaleChannels } from './module-entry.js';

export type C3Args = CspArgs;

/**
 * `C3` (CSP bottleneck, 3 convs): `cv3(cat(m(cv1(x)), cv2(x)))`, `m` = n Bottlenecks (1x1, 3x3, e=1)
 * on `c_ = c2 * e` channels. The scaled `n` is internal: `<prefix>.m.<j>.cv1.conv.weight`.
 */
export const c3Module = defineModule<C3Args>({
  name: 'C3',
  signature: '[c2, shortcut=True, g=1, e=0.5]',
  repeat: 'internal',
  inputs: 'single',
  role: 'layer',
  parseArgs: (args) => parseCspArgs(args, true),
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (_args, [stride = 1]) => stride,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels: c2, repeats, params, activation }) {
    const hidden = Math.trunc(c2 * args.e);
    const cv1 = new ConvBnAct(params, `${prefix}.cv1`, c1, hidden, { kernel: 1, activation });
    const cv2 = new ConvBnAct(params, `${prefix}.cv2`, c1, hidden, { kernel: 1, activation });
    const cv3 = new ConvBnAct(params, `${prefix}.cv3`, 2 * hidden, c2, { kernel: 1, activation });
    const m = Array.from(
      { length: repeats },
      (_, j) => new BottleneckBlock(params, `${prefix}.m.${j}`, hidden, hidden, { shortcut: args.shortcut, kernels: [1, 3], expansion: 1, activation }),
    );
    return {
      kind: 'layer',
      forward([x], { training }) {
        let a = cv1.forward(x!, training);
        for (const block of m) a = block.forward(a, training);
        return cv3.forward(tf.concat([a, cv2.forward(x!, training)], 3), training);
      },
    };
  },
});
