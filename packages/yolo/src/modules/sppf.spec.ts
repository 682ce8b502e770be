import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { sppfModule, ultralyticsSppfModule } from './sppf.js';
import { sppModule } from './spp.js';

describe('SPPF and SPP', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('SPPF: cv1 to c1 // 2, cv2 from 4 * that, same map size', () => {
    const { shapes, instance, params } = buildModule(sppfModule, [256, 5], [256]);
    expect(Object.entries(shapes).filter(([name]) => name.endsWith('conv.weight'))).toEqual([
      ['model.4.cv1.conv.weight', [128, 256, 1, 1]],
      ['model.4.cv2.conv.weight', [256, 512, 1, 1]],
    ]);
    const y = tf.tidy(() => (instance.kind === 'layer' ? instance.forward([tf.ones([1, 5, 5, 256])], { training: false }) : tf.zeros([0])));
    expect(y.shape).toEqual([1, 5, 5, 256]);
    y.dispose();
    params.dispose();
  });

  it("differs between yolov5 (cv1 with SiLU) and Ultralytics 8.4 (linear cv1): same weights, different outputs", async () => {
    const v5 = buildModule(sppfModule, [8, 5], [8], { seed: 5 });
    const u = buildModule(ultralyticsSppfModule, [8, 5], [8], { seed: 5 });
    const x = tf.randomUniform([1, 3, 3, 8], -2, 2, 'float32', 9) as tf.Tensor4D;
    const run = (m: typeof v5) => tf.tidy(() => (m.instance.kind === 'layer' ? m.instance.forward([x], { training: false }) : tf.zeros([0])));
    const [a, b] = [run(v5), run(u)];
    const diff = (await tf.max(tf.abs(tf.sub(a, b))).data())[0] as number;
    expect(diff).toBeGreaterThan(1e-3);
    tf.dispose([a, b, x]);
    v5.params.dispose();
    u.params.dispose();
  });

  it('SPP: cv2 takes (len(k) + 1) pooled copies', () => {
    const { shapes, params } = buildModule(sppModule, [64, [5, 9, 13]], [64]);
    expect(shapes['model.4.cv2.conv.weight']).toEqual([64, 128, 1, 1]);
    params.dispose();
  });
});
