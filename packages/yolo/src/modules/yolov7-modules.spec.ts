import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { yolov7ConvModule } from './conv.js';
import { sppcspcModule } from './sppcspc.js';
import { mpModule, spModule } from './yolov7-pools.js';

const layer = (built: ReturnType<typeof buildModule>, x: tf.Tensor4D): tf.Tensor4D => {
  if (built.instance.kind !== 'layer') throw new Error('not a layer');
  return built.instance.forward([x], { training: false });
};

describe('the yolov7 modules', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("Conv reads yolov7's [c2, k, s, p, g, act]: the activation at index 5 (yolov7-tiny's nn.LeakyReLU(0.1))", async () => {
    const built = buildModule(yolov7ConvModule, [8, 1, 1, null, 1, 'nn.LeakyReLU(0.1)'], [8]);
    built.params.get('model.4.conv.weight')!.variable.assign(tf.reshape(tf.eye(8), [1, 1, 8, 8]));
    // Eye conv, fresh BN (running var 1, eps 1e-3): y = leaky(x / sqrt(1.001)).
    const x = [-1, 2, -3, 4, -5, 6, -7, 8];
    const y = await layer(built, tf.tensor4d(x, [1, 1, 1, 8])).data();
    const s = 1 / Math.sqrt(1.001);
    Array.from(y).forEach((v, i) => expect(v).toBeCloseTo((x[i]! < 0 ? 0.1 : 1) * x[i]! * s, 5));
    expect(() => buildModule(yolov7ConvModule, [8, 1, 1, null, 1, true, 1], [8])).toThrow('Conv: takes at most 6 argument(s), found 7; Conv args are [c2, k=1, s=1, p=None, g=1, act=True]');
    built.params.dispose();
  });

  it('MP halves the map by 2x2 max pooling; SP(k) keeps its size, padding by -inf', async () => {
    const x = tf.tensor4d([-9, -8, -7, -6, -5, -4, -3, -2, -1, -10, -11, -12, -13, -14, -15, -16], [1, 4, 4, 1]);
    expect(Array.from(await layer(buildModule(mpModule, [], [1]), x).data())).toEqual([-4, -2, -1, -11]);
    const sp = await layer(buildModule(spModule, [3], [1]), x).data();
    expect(Array.from(sp).slice(0, 4)).toEqual([-4, -3, -2, -2]);
    expect(mpModule.outputStride({ k: 2 }, [8])).toBe(16);
    expect(spModule.outputStride({ k: 5, s: 1 }, [32])).toBe(32);
  });

  it('SPPCSPC(c2) has the seven convs of yolov7 with c_ = int(2 * c2 * e), and the parameter count they give', () => {
    const { shapes, params } = buildModule(sppcspcModule, [512], [1024]);
    const convs = Object.entries(shapes).filter(([name]) => name.endsWith('conv.weight'));
    expect(convs).toEqual([
      ['model.4.cv1.conv.weight', [512, 1024, 1, 1]],
      ['model.4.cv2.conv.weight', [512, 1024, 1, 1]],
      ['model.4.cv3.conv.weight', [512, 512, 3, 3]],
      ['model.4.cv4.conv.weight', [512, 512, 1, 1]],
      ['model.4.cv5.conv.weight', [512, 2048, 1, 1]],
      ['model.4.cv6.conv.weight', [512, 512, 3, 3]],
      ['model.4.cv7.conv.weight', [512, 1024, 1, 1]],
    ]);
    // By hand: 1x1 convs 2*1024*512 + 512*512 + 2048*512 + 1024*512, 3x3 convs 2*9*512*512, BN 2*512 each.
    const count = params.list().reduce((sum, p) => (p.role === 'running-stat' ? sum : sum + p.variable.size), 0);
    expect(count).toBe(2 * 1024 * 512 + 512 * 512 + 2048 * 512 + 1024 * 512 + 2 * 9 * 512 * 512 + 7 * 2 * 512);
    const small = buildModule(sppcspcModule, [8], [16]);
    expect(layer(small, tf.zeros([1, 5, 5, 16])).shape).toEqual([1, 5, 5, 8]);
    params.dispose();
    small.params.dispose();
  });
});
