import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { maxPool2dModule, maxPoolOutputSize } from './max-pool.js';

const run = (args: unknown[], x: tf.Tensor4D): tf.Tensor4D => {
  const { instance } = buildModule(maxPool2dModule, args, [x.shape[3]]);
  if (instance.kind !== 'layer') throw new Error('not a layer');
  return instance.forward([x], { training: false });
};

describe('nn.MaxPool2d', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('[2, 2, 0] takes the max of each 2x2 block (floor size on odd maps)', async () => {
    // 3x3 map 0..8 -> one 2x2 window at the top left: max(0, 1, 3, 4) = 4.
    const y = run([2, 2, 0], tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]));
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect(Array.from(await y.data())).toEqual([4]);
    expect(maxPoolOutputSize(3, { k: 2, s: 2, p: 0 })).toBe(1);
  });

  it('[2, 1, 0] slides by one: an n x n map becomes (n - 1) x (n - 1)', async () => {
    const y = run([2, 1], tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]));
    expect(Array.from(await y.data())).toEqual([4, 5, 7, 8]);
  });

  it('pads with -inf as PyTorch does, so negative maps keep their own maximum at the border', async () => {
    const y = run([3, 1, 1], tf.tensor4d([-5, -4, -3, -2], [1, 2, 2, 1]));
    expect(Array.from(await y.data())).toEqual([-2, -2, -2, -2]);
  });

  it('sets the stride to the kernel when none is given, and refuses too much padding with the module signature', () => {
    const { instance } = buildModule(maxPool2dModule, [2], [4]);
    expect(instance.kind).toBe('layer');
    expect(maxPool2dModule.outputStride({ k: 2, s: 2, p: 0 }, [8])).toBe(16);
    expect(() => buildModule(maxPool2dModule, [2, 2, 2], [4])).toThrow('nn.MaxPool2d: argument 2 (padding) must be at most half the kernel (2), found 2; nn.MaxPool2d args are [kernel_size, stride=kernel_size, padding=0]');
  });
});
