import * as tf from '@tensorflow/tfjs-core';
import { defineModule } from './module-entry.js';

export interface ZeroPadArgs {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * `nn.ZeroPad2d(padding)`: an int pads every side, `[left, right, top, bottom]` each its own (YOLOv3-tiny's
 * `[[0, 1, 0, 1]]` adds a column on the right and a row at the bottom before `MaxPool2d(2, 1)`). No parameters.
 */
export const zeroPad2dModule = defineModule<ZeroPadArgs>({
  name: 'nn.ZeroPad2d',
  signature: '[padding]  (an int, or [left, right, top, bottom])',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(1);
    const raw = args.raw(0);
    if (typeof raw === 'number') {
      const p = args.int(0, 'padding', { min: 0 });
      return { left: p, right: p, top: p, bottom: p };
    }
    if (!Array.isArray(raw) || raw.length !== 4 || !raw.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
      throw args.error(0, `argument 0 (padding) must be an integer >= 0 or [left, right, top, bottom] of such, found ${JSON.stringify(raw)}`);
    }
    const [left, right, top, bottom] = raw as [number, number, number, number];
    return { left, right, top, bottom };
  },
  outputChannels: (_args, [channels = 0]) => channels,
  outputStride: (_args, [stride = 1]) => stride,
  build: ({ args }) => ({
    kind: 'layer',
    forward: ([x]) => tf.pad(x!, [[0, 0], [args.top, args.bottom], [args.left, args.right], [0, 0]]),
  }),
});
