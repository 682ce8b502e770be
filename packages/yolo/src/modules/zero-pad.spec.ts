import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { zeroPad2dModule } from './zero-pad.js';

describe('nn.ZeroPad2d', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('[[0, 1, 0, 1]] (left, right, top, bottom) adds a zero column on the right and a zero row at the bottom', async () => {
    const { instance } = buildModule(zeroPad2dModule, [[0, 1, 0, 1]], [1]);
    if (instance.kind !== 'layer') throw new Error('not a layer');
    const y = instance.forward([tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])], { training: false });
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(await y.data())).toEqual([1, 2, 0, 3, 4, 0, 0, 0, 0]);
  });

  it('an int pads every side', () => {
    const { instance } = buildModule(zeroPad2dModule, [2], [1]);
    if (instance.kind !== 'layer') throw new Error('not a layer');
    expect(instance.forward([tf.zeros([1, 2, 3, 1])], { training: false }).shape).toEqual([1, 6, 7, 1]);
  });

  it('refuses a padding that is neither, naming the module and what it found', () => {
    expect(() => buildModule(zeroPad2dModule, [[0, 1]], [1])).toThrow('nn.ZeroPad2d: argument 0 (padding) must be an integer >= 0 or [left, right, top, bottom] of such, found [0,1]');
  });
});
