import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { parseModelYaml, ultralyticsModules, YoloModel } from '@yolo-distill/yolo';
import { profileConvolutions } from './conv-flops.js';
import { modelStats } from './model-stats.js';

// The numbers Ultralytics prints for the official v5/v8 models are checked in the CLI package
// (packages/cli/src/model-stats.spec.ts), which may build them; eval may not import an adapter.
// Here: a small anchor-free model with strides 8, 16, 32 (Conv rows 0-4, Detect on rows 2-4).
const TINY_YAML = `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
backbone:
  - [-1, 1, Conv, [8, 3, 2]]
  - [-1, 1, Conv, [8, 3, 2]]
  - [-1, 1, Conv, [16, 3, 2]]
  - [-1, 1, Conv, [16, 3, 2]]
  - [-1, 1, Conv, [16, 3, 2]]
head:
  - [[2, 3, 4], 1, Detect, [nc]]
`;
const tinyModel = () => new YoloModel(parseModelYaml(TINY_YAML, 'tiny.yaml', { modules: ultralyticsModules(), numClasses: 2 }), { name: 'tiny' });

describe('modelStats', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('scales a stride-sized forward pass exactly: same convs as profiling at the size itself', async () => {
    const model = tinyModel();
    const stats = await modelStats(model, { imageSize: [64, 96] });
    const x = tf.zeros([1, 64, 96, 3]) as tf.Tensor4D;
    const direct = await profileConvolutions(() => model.forward(x, { training: false }));
    x.dispose();
    model.dispose();
    const dfl = 2 * 4 * 16 * (8 * 12 + 4 * 6 + 2 * 3);
    expect(stats.flops).toBe(direct.flops + dfl);
    expect(stats.layers[4]?.outputShape).toEqual([2, 3, 16]);
  });

  it('rejects sizes that are not multiples of the largest stride', async () => {
    const model = tinyModel();
    await expect(modelStats(model, { imageSize: 100 })).rejects.toThrow('tiny: image size 100x100 must be positive multiples of the largest stride 32');
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    await modelStats(model, { imageSize: 320 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('profileConvolutions', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('counts 2 x output elements x kh x kw x cin per conv, cin 1 for depthwise', async () => {
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.zeros([3, 3, 3, 4]) as tf.Tensor4D;
    const dw = tf.zeros([3, 3, 3, 2]) as tf.Tensor4D;
    const { convs, flops } = await profileConvolutions(() => [tf.conv2d(x, w, 2, 'same'), tf.depthwiseConv2d(x, dw, 1, 'same'), tf.relu(x)]);
    expect(convs.map((c) => [c.kernel, c.output, c.flops])).toEqual([
      ['Conv2D', [1, 4, 4, 4], 2 * 4 * 4 * 4 * 9 * 3],
      ['DepthwiseConv2dNative', [1, 8, 8, 6], 2 * 8 * 8 * 6 * 9],
    ]);
    expect(flops).toBe(2 * 4 * 4 * 4 * 27 + 2 * 8 * 8 * 6 * 9);
    tf.dispose([x, w, dw]);
  });
});
