/**
 * A bench child: does a teacher forward started before a student step overlap it? The ONNX teacher
 * (batch 8) and a probe-net training step (fused op, flat Adam), timed alone, one after the other,
 * and with the teacher's forward started first: its session on the caller's thread (onnxruntime-node
 * runs it inside a setImmediate, on this thread) and in its worker_thread (whose pool does not spin).
 *   teacher-overlap.ts '<{ file, head, taps, classes }>' <repeats>
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { ProbeNet, YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from '@yolo-distill/backend/probe-net';
import type { ModelOutput } from '@yolo-distill/core';
import { createOptimizer } from '@yolo-distill/trainer';
import { createOnnxTeacher } from '@yolo-distill/yolo';
import { emitResult } from './child-output.js';
import { median } from './stats.js';
import { round } from './timing.js';

const spec = JSON.parse(process.argv[2] as string) as { file: string; head: string[]; taps: Record<string, string>; classes: number };
const repeats = Number(process.argv[3] ?? 5);
const before = loadavg();
await selectBackend('wasm');
const factory = new OrtSessionFactory({ executionProviders: ['cpu'] });
const options = { head: spec.head, taps: spec.taps, classes: spec.classes };
const teachers = { caller: await createOnnxTeacher(spec.file, factory, options), worker: await createOnnxTeacher(spec.file, factory, { ...options, session: { worker: true } }) };
const taps = Object.keys(spec.taps);

const net = new ProbeNet(YOLOV5N_PROBE, 8, 160, YOLOV5N_PROBE_OUTPUTS, 7, { fused: true });
const variables = net.variables();
const optimizer = createOptimizer(variables, { type: 'adam', momentum: 0.9, nesterov: false, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4 });
const images = tf.randomUniform([8, 160, 160, 3], 0, 1, 'float32', 1) as tf.Tensor4D;

/** The student step's synchronous part, as the loop runs it inside the gradient tape, then its read-back. */
async function studentStep(): Promise<void> {
  const { value, grads } = tf.variableGrads(() => net.loss(images), variables);
  optimizer.apply(variables.map((v) => grads[v.name]), 1e-3, 10);
  await value.data();
  tf.dispose([value, ...Object.values(grads)]);
}
const release = (output: ModelOutput) => tf.dispose([...output.head, ...Object.values(output.features)]);

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return round(performance.now() - started);
}

const cases: Record<string, () => Promise<void>> = {
  teacherAlone: async () => release(await teachers.caller.forward(images, taps)),
  teacherAloneInWorker: async () => release(await teachers.worker.forward(images, taps)),
  studentAlone: studentStep,
  oneAfterTheOther: async () => {
    release(await teachers.caller.forward(images, taps));
    await studentStep();
  },
  startedFirstOnCallerThread: async () => {
    const early = teachers.caller.forward(images, taps);
    await studentStep();
    release(await early);
  },
  startedFirstInWorker: async () => {
    const early = teachers.worker.forward(images, taps);
    await studentStep();
    release(await early);
  },
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const run of Object.values(cases)) await run(); // warm-up
for (let r = 0; r < repeats; r++) for (const [name, run] of Object.entries(cases)) samples[name]?.push(await timed(run));
emitResult({
  medianMs: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, round(median(values))])),
  samples,
  loadavg: { before, after: loadavg() },
});
teachers.caller.dispose();
teachers.worker.dispose();
