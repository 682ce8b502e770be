import * as tf from '@tensorflow/tfjs-core';
import { defineModule } from './module-entry.js';

/** `nn.Upsample(None, scale, 'nearest')`: nearest-neighbour upsampling by an integer factor. */
export const upsampleModule = defineModule<{ readonly scale: number }>({
  name: 'nn.Upsample',
  signature: "[size=None, scale_factor, mode='nearest']",
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(2);
    args.atMost(3);
    args.none(0, 'size');
    const scale = args.int(1, 'scale_factor', { min: 1 });
    args.choice(2, 'mode', ['nearest'], 'nearest');
    return { scale };
  },
  outputChannels: (_args, [channels = 0]) => channels,
  outputStride: (args, [stride = 1]) => stride / args.scale,
  build: ({ args }) => ({
    kind: 'layer',
    forward: ([x]) => tf.image.resizeNearestNeighbor(x!, [x!.shape[1] * args.scale, x!.shape[2] * args.scale]),
  }),
});
