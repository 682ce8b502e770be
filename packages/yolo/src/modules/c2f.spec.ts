import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { c2fModule } from './c2f.js';

describe('C2f', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the state-dict of ultralytics C2f: cv1 to 2c, cv2 from (2 + n) c, bottlenecks 3x3/3x3 on c', () => {
    // yolov8n layer 2: C2f(32, 32, n=1, shortcut=True) -> cv2 [32, 48, 1, 1] in the fixture.
    const { shapes, params } = buildModule(c2fModule, [32, true], [32], { repeats: 1 });
    expect(Object.entries(shapes).filter(([name]) => name.endsWith('conv.weight'))).toEqual([
      ['model.4.cv1.conv.weight', [32, 32, 1, 1]],
      ['model.4.cv2.conv.weight', [32, 48, 1, 1]],
      ['model.4.m.0.cv1.conv.weight', [16, 16, 3, 3]],
      ['model.4.m.0.cv2.conv.weight', [16, 16, 3, 3]],
    ]);
    params.dispose();
  });

  it('with zero weights in its bottleneck shortcut, equals cv2 on [y0, y1, y1] (the split and the chain)', async () => {
    const { instance, params } = buildModule(c2fModule, [8, true], [4], { repeats: 1 });
    // Bottleneck cv2 weight 0 and BN beta -> SiLU(0) = 0 output, so the shortcut passes y1 on unchanged.
    tf.tidy(() => params.get('model.4.m.0.cv2.conv.weight')!.variable.assign(tf.zerosLike(params.get('model.4.m.0.cv2.conv.weight')!.variable)));
    const x = tf.randomUniform([1, 4, 4, 4], -1, 1, 'float32', 1) as tf.Tensor4D;
    const [y, expected] = tf.tidy(() => {
      if (instance.kind !== 'layer') throw new Error('layer expected');
      const out = instance.forward([x], { training: false });
      // recompute by hand: cv1, split, concat [y0, y1, y1], cv2
      const conv = (input: tf.Tensor4D, name: string) => {
        const w = params.get(`${name}.conv.weight`)!.variable as tf.Tensor4D;
        const g = params.get(`${name}.bn.weight`)!.variable;
        const b = params.get(`${name}.bn.bias`)!.variable;
        const m = params.get(`${name}.bn.running_mean`)!.variable;
        const v = params.get(`${name}.bn.running_var`)!.variable;
        const z = tf.add(tf.mul(tf.sub(tf.conv2d(input, w, 1, 'valid'), m), tf.div(g, tf.sqrt(tf.add(v, 1e-3)))), b);
        return tf.mul(z, tf.sigmoid(z)) as tf.Tensor4D;
      };
      const [y0, y1] = tf.split(conv(x, 'model.4.cv1'), 2, 3) as [tf.Tensor4D, tf.Tensor4D];
      return [out, conv(tf.concat([y0, y1, y1], 3), 'model.4.cv2')];
    });
    const a = await y!.data();
    const b = await expected!.data();
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 5));
    tf.dispose([x, y!, expected!]);
    params.dispose();
  });
});
