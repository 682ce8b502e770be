import * as tf from '@tensorflow/tfjs-core';
import { FeatureCutMix } from '@yolo-distill/augment';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, SeededRng, type FeatureMix, type ImageBatch } from '@yolo-distill/core';
import { decoupledHead, DecoupledHeadLoss, featureL2 } from '@yolo-distill/losses';
import { buildYoloV5 } from '@yolo-distill/yolo-v5';

// Feature CutMix mixes inside the forward passes: the head (and every later tap) runs on the mixed
// map, so head distillation sees the mix, which mixing recorded taps at the loss never did.
describe('feature CutMix inside the forward pass', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('changes the head distillation loss and the later taps, for teacher and student alike', async () => {
    const student = buildYoloV5({ scale: 'n', numClasses: 3, seed: 1 });
    const teacherModel = buildYoloV5({ scale: 'n', numClasses: 3, seed: 2 });
    // Fresh weights: BN's running statistics would leave the deep maps near zero in inference mode, so both run on batch statistics.
    const teacher = { forward: async (x: tf.Tensor4D, taps: readonly string[], options?: { mix?: FeatureMix }) => teacherModel.forward(x, { training: true, taps, ...(options?.mix ? { mix: options.mix } : {}) }) };
    const images = tf.randomUniform([4, 64, 64, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const at = new ConfigLocation(new InlineConfigSource('test'));
    const head = new DecoupledHeadLoss(decoupledHead.parse({}, at));
    head.bind({ student: student.headDescription, teacher: teacherModel.headDescription });
    const p5 = await featureL2.create(featureL2.parse({ student: 'neck.2', teacher: 'neck.2' }, at), {} as never);
    const batch = {} as ImageBatch;
    const step = { epoch: 0, epochs: 1, step: 0 };
    const losses = async (mix?: ReturnType<FeatureCutMix['draw']>) => {
      const s = student.forward(images, { training: true, taps: ['neck.0', 'neck.2'], ...(mix ? { mix } : {}) });
      const t = await teacher.forward(images, ['neck.0', 'neck.2'], mix ? { mix } : undefined);
      const values = [head.compute(s, t, batch, step), p5.compute(s, t, batch, step)].map((v) => v.dataSync()[0] as number);
      const neck0 = Array.from(s.features['neck.0']?.dataSync() ?? []);
      tf.dispose([...s.head, ...Object.values(s.features), ...t.head, ...Object.values(t.features)]);
      return { head: values[0] as number, p5: values[1] as number, neck0 };
    };
    const mix = new FeatureCutMix({ p: 1, at: 'neck.0', alpha: 1 }).draw(4, new SeededRng(5));
    if (!mix) throw new Error('p 1 always fires');
    const clean = await losses();
    const mixed = await losses(mix);
    expect(Math.abs(mixed.head - clean.head)).toBeGreaterThan(1e-3 * clean.head);
    expect(Math.abs(mixed.p5 - clean.p5)).toBeGreaterThan(1e-3 * clean.p5);
    // The recorded map at the mixing tap is the mixed one: CutMix of the clean map with the drawn box.
    const reference = student.forward(images, { training: true, taps: ['neck.0'] });
    const expected = mix.apply(reference.features['neck.0'] as tf.Tensor4D);
    const gap = Math.max(...Array.from(expected.dataSync()).map((v, i) => Math.abs(v - (mixed.neck0[i] ?? Number.NaN))));
    expect(gap).toBeLessThan(1e-5);
    tf.dispose([images, expected, ...reference.head, ...Object.values(reference.features)]);
    student.dispose();
    teacherModel.dispose();
  });
});
