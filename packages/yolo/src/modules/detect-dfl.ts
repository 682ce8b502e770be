import * as tf from '@tensorflow/tfjs-core';
import type { DflHeadSpec } from '../heads/head-spec.js';
import { Conv2d, ConvBnAct } from './conv-layers.js';
import { defineModule } from './module-entry.js';

export interface DflDetectArgs {
  readonly nc: number;
  readonly regMax: number;
}

/**
 * Anchor-free `Detect` with DFL (YOLOv8, Ultralytics' legacy head). Per level i:
 * box branch `cv2.i` = Conv3x3(c2) - Conv3x3(c2) - Conv2d 1x1 (4 * reg_max, bias),
 * class branch `cv3.i` = Conv3x3(c3) - Conv3x3(c3) - Conv2d 1x1 (nc, bias), with
 * `c2 = max(16, ch[0] // 4, 4 * reg_max)`, `c3 = max(ch[0], min(nc, 100))`; `dfl.conv.weight` is the
 * fixed projection 0..reg_max-1. Raw output per level: NHWC `[B, H, W, 4 * reg_max + nc]`, box bins
 * side-major (l, t, r, b) then class logits.
 */
export const dflDetectModule = defineModule<DflDetectArgs>({
  name: 'Detect',
  signature: '[nc, reg_max=16]',
  repeat: 'stacked',
  inputs: 'multiple',
  role: 'head',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(2);
    const regMax = args.int(1, 'reg_max', { default: 16, min: 2 });
    return { nc: args.int(0, 'nc'), regMax };
  },
  outputChannels: (args) => 4 * args.regMax + args.nc,
  outputStride: (_args, strides) => strides[0] ?? 1,
  build({ prefix, args, inputChannels, inputStrides, params, activation }) {
    const { nc, regMax } = args;
    const spec: DflHeadSpec = { kind: 'anchor-free', numClasses: nc, strides: [...inputStrides], regMax };
    const first = inputChannels[0] ?? 0;
    const c2 = Math.max(16, Math.floor(first / 4), regMax * 4);
    const c3 = Math.max(first, Math.min(nc, 100));
    const branch = (name: string, cin: number, hidden: number, cout: number) => ({
      a: new ConvBnAct(params, `${name}.0`, cin, hidden, { kernel: 3, activation }),
      b: new ConvBnAct(params, `${name}.1`, hidden, hidden, { kernel: 3, activation }),
      c: new Conv2d(params, `${name}.2`, hidden, cout, { kernel: 1 }),
    });
    const box = inputChannels.map((c, i) => branch(`${prefix}.cv2.${i}`, c, c2, 4 * regMax));
    const cls = inputChannels.map((c, i) => branch(`${prefix}.cv3.${i}`, c, c3, nc));
    const projection = params.add(`${prefix}.dfl.conv.weight`, () => tf.reshape(tf.range(0, regMax, 1, 'float32'), [1, 1, regMax, 1]), 'fixed', 'conv', [1, regMax, 1, 1]);
    // Ultralytics' Detect.bias_init (8.4): box logits 2.0; classes for ~5 objects per 640 image.
    inputStrides.forEach((stride, i) => {
      tf.tidy(() => {
        box[i]!.c.bias.assign(tf.fill([4 * regMax], 2.0));
        cls[i]!.c.bias.assign(tf.fill([nc], Math.log(5 / nc / (640 / stride) ** 2)));
      });
    });
    const run = (b: ReturnType<typeof branch>, x: tf.Tensor4D, training: boolean) => b.c.forward(b.b.forward(b.a.forward(x, training), training));
    return {
      kind: 'head',
      spec,
      projection,
      forward: (inputs, { training }) => inputs.map((x, i) => tf.concat([run(box[i]!, x, training), run(cls[i]!, x, training)], 3)),
    };
  },
});
