import * as tf from '@tensorflow/tfjs-core';
import { BottleneckBlock } from './bottleneck.js';
import { ConvBnAct } from './conv-layers.js';
import { parseCspArgs, type CspArgs } from './csp-args.js';
import { defineModule, scaleChannels } from './module-entry.js';

export type C2fArgs = CspArgs;

/**
 * `C2f` (YOLOv8's CSP block, 2 convs): `cv1` to `2c` channels split in halves `[y0, y1]`, each of the
 * n Bottlenecks (3x3, 3x3, e=1) adds a map `y_{i+1} = m_i(y_i)`, `cv2(cat(y0..y_{n+1}))`.
 */
export const c2fModule = defineModule<C2fArgs>({
  name: 'C2f',
  signature: '[c2, shortcut=False, g=1, e=0.5]',
  repeat: 'internal',
  inputs: 'single',
  role: 'layer',
  parseArgs: (args) => parseCspArgs(args, false),
  outputChannels: (args, _inputs, scaling) => scaleChannels(args.c2, scaling),
  outputStride: (_args, [stride = 1]) => stride,
  build({ prefix, args, inputChannels: [c1 = 0], outputChannels: c2, repeats, params, activation }) {
    const c = Math.trunc(c2 * args.e);
    const cv1 = new ConvBnAct(params, `${prefix}.cv1`, c1, 2 * c, { kernel: 1, activation });
    const cv2 = new ConvBnAct(params, `${prefix}.cv2`, (2 + repeats) * c, c2, { kernel: 1, activation });
    const m = Array.from(
      { length: repeats },
      (_, j) => new BottleneckBlock(params, `${prefix}.m.${j}`, c, c, { shortcut: args.shortcut, kernels: [3, 3], expansion: 1, activation }),
    );
    // Halves of cv1's output; a pruned model's halves may differ (the second is what m.0 reads).
    const second = m[0]?.inputChannels ?? cv1.cout / 2;
    const halves = [cv1.cout - second, second];
    return {
      kind: 'layer',
      forward([x], { training }) {
        // A copy: tfjs records the array split returns on the gradient tape, so pushing onto it would corrupt the gradient.
        const ys = [...tf.split<tf.Tensor4D>(cv1.forward(x!, training), halves, 3)];
        for (const block of m) ys.push(block.forward(ys[ys.length - 1]!, training));
        return cv2.forward(tf.concat(ys, 3), training);
      },
    };
  },
});
