import * as tf from '@tensorflow/tfjs-core';
import { defineModule } from './module-entry.js';

/** `Concat`: joins the `from` maps along channels (PyTorch dim 1, NHWC axis 3). */
export const concatModule = defineModule<{ readonly dimension: 1 }>({
  name: 'Concat',
  signature: '[dimension=1]',
  repeat: 'stacked',
  inputs: 'multiple',
  role: 'layer',
  parseArgs(args) {
    args.atMost(1);
    const dimension = args.int(0, 'dimension', { default: 1, min: -4 });
    if (dimension !== 1 && dimension !== -3) throw args.error(0, `only the channel dimension (1) is supported, found ${dimension}`);
    return { dimension: 1 };
  },
  outputChannels: (_args, inputs) => inputs.reduce((sum, c) => sum + c, 0),
  outputStride(_args, strides) {
    if (new Set(strides).size > 1) throw new Error(`Concat: its inputs have different strides (${strides.join(', ')}), so their maps differ in size`);
    return strides[0] ?? 1;
  },
  build: () => ({ kind: 'layer', forward: (inputs) => tf.concat([...inputs], 3) }),
});
