import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { buildModule } from './build-module.test.js';
import { dflDetectModule } from './detect-dfl.js';

describe('anchor-free DFL Detect (YOLOv8)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has cv2 (box) and cv3 (class) branches with c2 = max(16, ch0 // 4, 4 reg_max), c3 = max(ch0, min(nc, 100)), and a fixed DFL conv', async () => {
    const { shapes, params, instance } = buildModule(dflDetectModule, [4], [64, 128, 256], { prefix: 'model.22', strides: [8, 16, 32] });
    expect(shapes['model.22.cv2.0.0.conv.weight']).toEqual([64, 64, 3, 3]);
    expect(shapes['model.22.cv2.1.0.conv.weight']).toEqual([64, 128, 3, 3]);
    expect(shapes['model.22.cv2.2.1.conv.weight']).toEqual([64, 64, 3, 3]);
    expect(shapes['model.22.cv2.0.2.weight']).toEqual([64, 64, 1, 1]);
    expect(shapes['model.22.cv2.0.2.bias']).toEqual([64]);
    expect(shapes['model.22.cv3.0.0.conv.weight']).toEqual([64, 64, 3, 3]);
    expect(shapes['model.22.cv3.2.2.weight']).toEqual([4, 64, 1, 1]);
    expect(shapes['model.22.cv3.1.2.bias']).toEqual([4]);
    expect(shapes['model.22.dfl.conv.weight']).toEqual([1, 16, 1, 1]);
    const dfl = params.get('model.22.dfl.conv.weight')!;
    expect(dfl.role).toBe('fixed');
    expect(dfl.variable.trainable).toBe(false);
    expect(Array.from(await dfl.variable.data())).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(instance.kind === 'head' && instance.spec).toEqual({ kind: 'anchor-free', numClasses: 4, strides: [8, 16, 32], regMax: 16 });
    // Ultralytics' bias_init: box 2.0, classes log(5 / nc / (640 / s)^2) (-8.541 at stride 8 with nc 4, as in the fixture).
    expect((await params.get('model.22.cv2.1.2.bias')!.variable.data())[0]).toBe(2);
    expect((await params.get('model.22.cv3.0.2.bias')!.variable.data())[0]).toBeCloseTo(-8.5409, 3);
    params.dispose();
  });

  it('uses wider branches for wide inputs and many classes', () => {
    const { shapes, params } = buildModule(dflDetectModule, [200], [320, 640], { strides: [8, 16] });
    expect(shapes['model.4.cv2.0.0.conv.weight']).toEqual([80, 320, 3, 3]); // max(16, 320 // 4, 64)
    expect(shapes['model.4.cv3.0.0.conv.weight']).toEqual([320, 320, 3, 3]); // max(320, min(200, 100))
    params.dispose();
  });

  it('returns [box bins | class logits] per level, NHWC', () => {
    const { instance, params } = buildModule(dflDetectModule, [3, 8], [16], { strides: [8] });
    const out = tf.tidy(() => (instance.kind === 'head' ? instance.forward([tf.ones([2, 3, 3, 16])], { training: false }) : []));
    expect(out.map((t) => t.shape)).toEqual([[2, 3, 3, 4 * 8 + 3]]);
    tf.dispose(out);
    params.dispose();
  });
});
