import { defineModule } from './module-entry.js';
import { torchMaxPool } from './max-pool.js';

/** WongKinYiu/yolov7's `MP(k=2)`: `MaxPool2d(k, stride=k)`, the max-pool half of its MP downsampling. No parameters. */
export const mpModule = defineModule<{ readonly k: number }>({
  name: 'MP',
  signature: '[k=2]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atMost(1);
    return { k: args.int(0, 'k', { default: 2 }) };
  },
  outputChannels: (_args, [channels = 0]) => channels,
  outputStride: (args, [stride = 1]) => stride * args.k,
  build: ({ args }) => ({ kind: 'layer', forward: ([x]) => torchMaxPool(x!, { k: args.k, s: args.k, p: 0 }) }),
});

/** WongKinYiu/yolov7's `SP(k=3, s=1)`: `MaxPool2d(k, s, padding=k // 2)` (yolov7-tiny's SPP as rows: SP 5, 9, 13). */
export const spModule = defineModule<{ readonly k: number; readonly s: number }>({
  name: 'SP',
  signature: '[k=3, s=1]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atMost(2);
    return { k: args.int(0, 'k', { default: 3 }), s: args.int(1, 's', { default: 1 }) };
  },
  outputChannels: (_args, [channels = 0]) => channels,
  outputStride: (args, [stride = 1]) => stride * args.s,
  build: ({ args }) => ({ kind: 'layer', forward: ([x]) => torchMaxPool(x!, { k: args.k, s: args.s, p: Math.floor(args.k / 2) }) }),
});
