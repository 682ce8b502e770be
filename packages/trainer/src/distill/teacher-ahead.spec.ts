import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { ImageBatch, ModelOutput, Teacher, Tensor4D } from '@yolo-distill/core';
import { TeacherAhead, teacherAheadPlan } from './teacher-ahead.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const batch = (value: number): ImageBatch => ({ images: new Float32Array(2 * 4 * 4 * 3).fill(value), shape: [2, 4, 4, 3], targets: new Float32Array(0), targetCount: 0, sources: [] });

/** A teacher forward that answers when told to: head = the images' mean, a feature = the images doubled. */
function deferredTeacher() {
  const calls: { images: Tensor4D; finish(): void; fail(error: Error): void }[] = [];
  const forward = (images: Tensor4D) =>
    new Promise<ModelOutput>((resolve, reject) => {
      calls.push({
        images,
        finish: () => resolve({ head: [tf.mean(images, [1, 2, 3], true) as Tensor4D], features: { 'neck.0': tf.mul(images, 2) as Tensor4D } }),
        fail: reject,
      });
    });
  return { calls, forward };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TeacherAhead', () => {
  it('hands the forward started for a batch to the step of that batch, and frees the images it made once it is done', async () => {
    const { calls, forward } = deferredTeacher();
    const ahead = new TeacherAhead(forward);
    const before = tf.memory().numTensors;
    const next = batch(0.5);
    ahead.start(next);
    expect(calls).toHaveLength(1);
    expect([...(calls[0]?.images.dataSync() ?? [])]).toEqual([...next.images]);
    calls[0]?.finish();
    const output = await ahead.take(next);
    await settle();
    expect(output?.head[0]?.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(calls[0]?.images.isDisposed).toBe(true);
    expect(tf.memory().numTensors - before).toBe(2);
    tf.dispose([...(output?.head ?? []), ...Object.values(output?.features ?? {})]);
    expect(ahead.take(next)).toBeUndefined();
  });

  it('releases what nobody takes: another batch, a new start, dispose', async () => {
    const { calls, forward } = deferredTeacher();
    const ahead = new TeacherAhead(forward);
    const before = tf.memory().numTensors;
    const [a, b, c] = [batch(1), batch(2), batch(3)];
    ahead.start(a);
    expect(ahead.take(b)).toBeUndefined();
    ahead.start(b);
    ahead.start(c);
    ahead.dispose();
    calls.forEach((call) => call.finish());
    await settle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes a failed forward to the step that takes it, and leaves no unhandled rejection when nobody does', async () => {
    const { calls, forward } = deferredTeacher();
    const ahead = new TeacherAhead(forward);
    const before = tf.memory().numTensors;
    const [a, b] = [batch(1), batch(2)];
    ahead.start(a);
    calls[0]?.fail(new Error('worker gone'));
    await expect(ahead.take(a) as Promise<ModelOutput>).rejects.toThrow('worker gone');
    ahead.start(b);
    calls[1]?.fail(new Error('worker gone'));
    ahead.dispose();
    await settle();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('teacherAheadPlan', () => {
  const teacher = (offThread: boolean): Teacher => ({ name: 't.onnx', headKind: 'anchor-based', numClasses: 1, taps: [], offThread, forward: () => Promise.reject(new Error('unused')), dispose: () => undefined });

  it('runs ahead only a teacher off the JS thread, without feature mixes, and says why not otherwise', () => {
    expect(teacherAheadPlan('pipeline', teacher(true), 0, 't.onnx')).toEqual({
      ahead: true,
      message: "teacher t.onnx runs in its own thread, one batch ahead: its forward for the next batch overlaps the student's step",
    });
    expect(teacherAheadPlan('pipeline', teacher(false), 0, 't.onnx')).toMatchObject({ ahead: false, message: expect.stringMatching(/^teacher t\.onnx runs inline, before each student step: its forward runs on the student's JS thread/) });
    expect(teacherAheadPlan('pipeline', teacher(true), 1, 't.onnx')).toMatchObject({ ahead: false, message: expect.stringContaining('featureAugmentations mix inside the teacher') });
    expect(teacherAheadPlan('ema', undefined, 0, 'EMA of s')).toMatchObject({ ahead: false, message: expect.stringContaining('an EMA teacher follows the student') });
  });
});
