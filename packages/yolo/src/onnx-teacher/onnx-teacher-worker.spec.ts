import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, ONNX_SESSIONS, PluginRegistry, type ModelOutput, type OnnxFloatTensor, type OnnxSession, type OnnxSessionFactory, type Teacher } from '@yolo-distill/core';
import { yoloPlugin } from '../plugin.js';
import { createOnnxTeacher } from './create-onnx-teacher.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';

// A teacher whose session lives in a worker_thread must compute what the one on the caller's thread does.

/** The fixture image and two brightness variants: a batch of 3 (three runs of a static batch-1 export). */
async function images(): Promise<tf.Tensor4D> {
  const bytes = await readFile(join(FIXTURES, 'yolov5n.input.bin'));
  const nchw = tf.tensor4d(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), [1, 3, 160, 160]);
  const batch = tf.tidy(() => {
    const nhwc = tf.transpose(nchw, [0, 2, 3, 1]);
    return tf.concat([nhwc, tf.mul(nhwc, 0.5), tf.sub(1, nhwc)]) as tf.Tensor4D;
  });
  nchw.dispose();
  return batch;
}

const values = (output: ModelOutput, taps: readonly string[]): Float32Array[] => [...output.head, ...taps.map((tap) => output.features[tap])].map((map) => (map?.dataSync() ?? new Float32Array(0)) as Float32Array);
const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const dispose = (output: ModelOutput) => tf.dispose([...output.head, ...Object.values(output.features)]);

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('an ONNX teacher whose session runs in a worker', () => {
  it.each([
    ['yolov5n', ['neck.0', 'neck.1', 'neck.2']],
    ['yolov8n', ['neck.0', 'neck.1', 'neck.2']],
    ['yolov3-tiny', ['neck.0', 'neck.1']],
  ] as const)('%s: head maps and taps bit for bit as on the caller\'s thread with the same session settings', async (model, taps) => {
    const file = join(FIXTURES, `${model}.onnx`);
    const input = await images();
    // The intra-op thread count is part of the settings (onnxruntime splits its sums by it: ~1e-5 apart).
    for (const settings of [{}, { intraOpThreads: 1 }]) {
      const factory = new OrtSessionFactory({ executionProviders: ['cpu'], ...settings });
      const caller = await createOnnxTeacher(file, factory);
      const worker = await createOnnxTeacher(file, factory, { session: { worker: true } });
      try {
        expect([caller.offThread, worker.offThread]).toEqual([false, true]);
        const [reference, output] = [await caller.forward(input, taps), await worker.forward(input, taps)];
        expect(output.head.map((map) => map.shape)).toEqual(reference.head.map((map) => map.shape));
        const expected = values(reference, taps);
        values(output, taps).forEach((got, i) => expect(sameBits(got, expected[i] as Float32Array), `${JSON.stringify(settings)} output ${i}`).toBe(true));
        [reference, output].forEach(dispose);
      } finally {
        caller.dispose();
        worker.dispose();
      }
    }
    input.dispose();
  });

  it('hands every run of a batch to the session before forward returns (a worker starts at once)', async () => {
    const calls: number[] = [];
    let real: OnnxSession | undefined;
    const counting: OnnxSessionFactory = {
      create: async (model, options) => {
        const session = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(model, options);
        real = session;
        return {
          source: session.source,
          executionProvider: session.executionProvider,
          inputNames: session.inputNames,
          outputNames: session.outputNames,
          offThread: true,
          run: (feeds: Readonly<Record<string, OnnxFloatTensor>>, outputs?: readonly string[]) => {
            calls.push(feeds['images']?.dims[0] ?? 0);
            return session.run(feeds, outputs);
          },
          release: () => session.release(),
        };
      },
    };
    const teacher = await createOnnxTeacher(join(FIXTURES, 'yolov5n.onnx'), counting);
    const input = await images();
    const pending = teacher.forward(input, ['neck.0']);
    expect(calls).toEqual([1, 1, 1]);
    dispose(await pending);
    input.dispose();
    teacher.dispose();
    expect(real).toBeDefined();
  });

  it('onnx.Teacher: in a worker unless thread: caller; threads sets the intra-op threads', async () => {
    const registry = new PluginRegistry([yoloPlugin]);
    const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['teacher'], registry);
    const made: unknown[] = [];
    const factory = new OrtSessionFactory({ executionProviders: ['cpu'] });
    const recording: OnnxSessionFactory = { create: (model, options) => (made.push(options), factory.create(model, options)) };
    const run = container.createChildContainer();
    run.registerInstance(ONNX_SESSIONS, recording);
    const file = join(FIXTURES, 'yolov8n.onnx');
    const build = (raw: Record<string, unknown>) => registry.build(registry.parse<Teacher>('teacher', { type: 'onnx.Teacher', file, ...raw }, at), run);
    const teachers = [await build({}), await build({ thread: 'caller' }), await build({ thread: 'worker', threads: 1 })];
    expect(teachers.map((teacher) => teacher.offThread)).toEqual([true, false, true]);
    expect(made).toEqual([{ worker: true }, { worker: false }, { worker: true, intraOpThreads: 1 }]);
    expect(() => registry.parse<Teacher>('teacher', { type: 'onnx.Teacher', file, thread: 'gpu' }, at)).toThrow('teacher.thread');
    teachers.forEach((teacher) => teacher.dispose());
  });
});
