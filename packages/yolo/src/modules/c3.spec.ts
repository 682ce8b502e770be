import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { c3Module } from './c3.js';

describe('C3', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the state-dict of ultralytics C3: cv1, cv2, cv3 and n bottlenecks (1x1, 3x3) on c2 * e channels', () => {
    const { shapes, outputChannels, params } = buildModule(c3Module, [64, false], [32], { repeats: 2 });
    expect(outputChannels).toBe(64);
    const convs = Object.entries(shapes).filter(([name]) => name.endsWith('conv.weight'));
    expect(convs).toEqual([
      ['model.4.cv1.conv.weight', [32, 32, 1, 1]],
      ['model.4.cv2.conv.weight', [32, 32, 1, 1]],
      ['model.4.cv3.conv.weight', [64, 64, 1, 1]],
      ['model.4.m.0.cv1.conv.weight', [32, 32, 1, 1]],
      ['model.4.m.0.cv2.conv.weight', [32, 32, 3, 3]],
      ['model.4.m.1.cv1.conv.weight', [32, 32, 1, 1]],
      ['model.4.m.1.cv2.conv.weight', [32, 32, 3, 3]],
    ]);
    expect(Object.keys(shapes)).toHaveLength(7 * 5);
    params.dispose();
  });

  it('keeps the map size and gives c2 channels', () => {
    const { instance, params } = buildModule(c3Module, [16], [8], { repeats: 1 });
    const y = tf.tidy(() => (instance.kind === 'layer' ? instance.forward([tf.ones([2, 6, 6, 8])], { training: false }) : tf.zeros([0])));
    expect(y.shape).toEqual([2, 6, 6, 16]);
    y.dispose();
    params.dispose();
  });
});
