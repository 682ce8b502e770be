import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { Conv2d } from './conv-layers.js';
import { implicitDetectModule, ImplicitLevel } from './implicit-detect.js';
import { ParameterStore } from './parameters.js';

describe('IDetect (yolov7)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has per level m.<i> (1x1 conv with bias), ia.<i>.implicit [1, C_in, 1, 1] and im.<i>.implicit [1, na*no, 1, 1]', () => {
    const { shapes, instance, params } = buildModule(implicitDetectModule, [2, [[10, 13, 16, 30], [30, 61, 62, 45]]], [8, 16], { prefix: 'model.77', strides: [8, 16] });
    expect(shapes).toEqual({
      'model.77.m.0.weight': [14, 8, 1, 1],
      'model.77.m.0.bias': [14],
      'model.77.m.1.weight': [14, 16, 1, 1],
      'model.77.m.1.bias': [14],
      'model.77.ia.0.implicit': [1, 8, 1, 1],
      'model.77.ia.1.implicit': [1, 16, 1, 1],
      'model.77.im.0.implicit': [1, 14, 1, 1],
      'model.77.im.1.implicit': [1, 14, 1, 1],
    });
    expect(instance.kind === 'head' && instance.spec.kind).toBe('anchor-based');
    // A fused export folds them away: they are 0 and 1 then.
    expect(params.get('model.77.ia.0.implicit')?.foldedValue).toBe(0);
    expect(params.get('model.77.im.1.implicit')?.foldedValue).toBe(1);
    params.dispose();
  });

  it('computes im * (W (x + ia) + b), checked by hand on a 1x1 conv of 2 -> 1 channels', async () => {
    const params = new ParameterStore('idetect', 0);
    const conv = new Conv2d(params, 'm.0', 2, 1, { kernel: 1 });
    conv.weight.assign(tf.tensor4d([2, -1], [1, 1, 2, 1]));
    conv.bias.assign(tf.tensor1d([0.5]));
    const level = new ImplicitLevel(conv, tf.variable(tf.tensor1d([0.1, -0.2])), tf.variable(tf.tensor1d([3])));
    const y = level.forward(tf.tensor4d([1, 2], [1, 1, 1, 2]));
    // (2 * 1.1 - 1 * 1.8 + 0.5) * 3 = 2.7
    expect((await y.data())[0]).toBeCloseTo(2.7, 5);
    params.dispose();
  });

  it('folds ImplicitA and ImplicitM into the conv (IDetect.fuse): the fused conv gives the same map', async () => {
    const params = new ParameterStore('idetect', 1);
    const conv = new Conv2d(params, 'm.0', 6, 10, { kernel: 1 });
    const level = new ImplicitLevel(conv, tf.variable(tf.randomNormal([6], 0, 0.5, 'float32', 1)), tf.variable(tf.randomNormal([10], 1, 0.5, 'float32', 2)));
    const x = tf.randomUniform([2, 4, 4, 6], -1, 1, 'float32', 3) as tf.Tensor4D;
    const fused = level.fuse();
    const direct = level.forward(x);
    const folded = tf.add(tf.conv2d(x, fused.kernel, 1, 'valid'), fused.bias);
    expect((await tf.max(tf.abs(tf.sub(direct, folded))).data())[0]).toBeLessThan(1e-5);
    params.dispose();
  });
});
