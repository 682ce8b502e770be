import * as tf from '@tensorflow/tfjs-core';
import { defineModule } from './module-entry.js';

export interface MaxPoolArgs {
  readonly k: number;
  readonly s: number;
  readonly p: number;
}

/** Output size of PyTorch's `MaxPool2d` along one side (floor mode). */
export function maxPoolOutputSize(size: number, { k, s, p }: MaxPoolArgs): number {
  return Math.floor((size + 2 * p - k) / s) + 1;
}

/** PyTorch's `max_pool2d(x, k, s, p)` (floor mode) on an NHWC map: padding by -inf. */
export function torchMaxPool(x: tf.Tensor4D, { k, s, p }: MaxPoolArgs): tf.Tensor4D {
  if (p === 0) return tf.maxPool(x, k, s, 'valid');
  // Stride 1 with p = k // 2 (odd k) is tfjs 'same', which ignores the padding like -inf does.
  if (s === 1 && k % 2 === 1 && p === (k - 1) / 2) return tf.maxPool(x, k, 1, 'same');
  return tf.tidy(() => tf.maxPool(tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], -3.4028234663852886e38), k, s, 'valid'));
}

/**
 * `nn.MaxPool2d(k, s=k, p=0)` as a model YAML names it (YOLOv3-tiny: `[2, 2, 0]` to halve, `[2, 1, 0]`
 * after a ZeroPad2d to keep the size). Padding is by -inf (PyTorch), floor rounding. No parameters.
 */
export const maxPool2dModule = defineModule<MaxPoolArgs>({
  name: 'nn.MaxPool2d',
  signature: '[kernel_size, stride=kernel_size, padding=0]',
  repeat: 'stacked',
  inputs: 'single',
  role: 'layer',
  parseArgs(args) {
    args.atLeast(1);
    args.atMost(3);
    const k = args.int(0, 'kernel_size');
    const s = args.int(1, 'stride', { default: k });
    const p = args.int(2, 'padding', { default: 0, min: 0 });
    if (2 * p > k) throw args.error(2, `argument 2 (padding) must be at most half the kernel (${k}), found ${p}`);
    return { k, s, p };
  },
  outputChannels: (_args, [channels = 0]) => channels,
  outputStride: (args, [stride = 1]) => stride * args.s,
  build: ({ args }) => ({
    kind: 'layer',
    forward: ([x]) => torchMaxPool(x!, args),
  }),
});
