import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, ONNX_SESSIONS, PluginRegistry, teacherFromModel, type DetectionModel, type ModelOutput, type Teacher } from '@yolo-distill/core';
import { builtinPlugins } from './builtin-plugins.js';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

// The ONNX teacher and our own model with the same export's weights imported must compute the same
// raw head maps and P3-P5: the two ways of getting a teacher agree, so losses see one layout.
const registry = new PluginRegistry(builtinPlugins());
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['teacher'], registry);
const NECK = ['neck.0', 'neck.1', 'neck.2'];

function relativeMaxDiff(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  expect(actual.length).toBe(reference.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return diff / scale;
}

function fixtureImages(): tf.Tensor4D {
  const bytes = readFileSync(join(fixtures, 'yolov5n.input.bin'));
  const nchw = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return tf.tidy(() => tf.transpose(tf.tensor4d(nchw, [1, 3, 160, 160]), [0, 2, 3, 1]) as tf.Tensor4D);
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('onnx.Teacher against the adapter model with the same weights', () => {
  it.each([
    ['yolov5n', { type: 'yolov5.Model', scale: 'n', classes: 80 }],
    ['yolov8n', { type: 'yolov8.Model', scale: 'n', classes: 4 }],
  ] as const)('%s: same head maps, P3-P5 and decoded boxes', async (name, model) => {
    const file = join(fixtures, `${name}.onnx`);
    const run = container.createChildContainer();
    run.registerInstance(ONNX_SESSIONS, new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 }));
    const onnx = await registry.build(registry.parse<Teacher>('teacher', { type: 'onnx.Teacher', file }, at), run);
    const adapter = teacherFromModel(await registry.build(registry.parse<DetectionModel>('model', { ...model, weights: file }, at), run));
    try {
      expect([onnx.headKind, onnx.numClasses]).toEqual([adapter.headKind, adapter.numClasses]);
      expect(adapter.taps).toEqual(expect.arrayContaining([...onnx.taps]));
      const images = fixtureImages();
      const [fromOnnx, fromAdapter] = [await onnx.forward(images, NECK), await adapter.forward(images, NECK)];
      expect(fromOnnx.head.map((map) => map.shape)).toEqual(fromAdapter.head.map((map) => map.shape));
      fromOnnx.head.forEach((map, level) => expect(relativeMaxDiff(map.dataSync(), fromAdapter.head[level]?.dataSync() ?? []), `head ${level}`).toBeLessThanOrEqual(1e-4));
      for (const tap of NECK) {
        expect(fromOnnx.features[tap]?.shape).toEqual(fromAdapter.features[tap]?.shape);
        expect(relativeMaxDiff(fromOnnx.features[tap]?.dataSync() ?? [], fromAdapter.features[tap]?.dataSync() ?? []), tap).toBeLessThanOrEqual(1e-4);
      }
      const [decodedOnnx, decodedAdapter] = [onnx.decode?.(fromOnnx), adapter.decode?.(fromAdapter)];
      expect(decodedOnnx?.shape).toEqual(decodedAdapter?.shape);
      expect(relativeMaxDiff(decodedOnnx?.dataSync() ?? [], decodedAdapter?.dataSync() ?? []), 'decoded').toBeLessThanOrEqual(1e-4);
      tf.dispose([decodedOnnx, decodedAdapter]);
      const dispose = (output: ModelOutput) => tf.dispose([...output.head, ...Object.values(output.features)]);
      [fromOnnx, fromAdapter].forEach(dispose);
      images.dispose();
    } finally {
      onnx.dispose();
      adapter.dispose();
    }
  });
});

describe('a pipeline with an ONNX teacher', () => {
  const box = cliSandbox('yd-onnx-teacher-');
  const io = box.io;

  it('validates: the CLI gives the teacher its ONNX session factory', async () => {
    const file = join(box.dir, 'p.yaml');
    writeFileSync(
      file,
      `backend: wasm
runs: ${join(box.dir, 'runs')}
teacher: { type: onnx.Teacher, file: ${join(fixtures, 'yolov8n.onnx')} }
student: { type: yolov8.Model, scale: n, classes: 4 }
stages:
  - { type: data.Check }
`,
    );
    expect(await runCli(['validate', file], { io }), box.err).toBe(0);
    expect(box.out).toMatch(/teacher\s+onnx\.Teacher\s+file=.*yolov8n\.onnx/);
  });

  it('reports a teacher file that is not there with exit code 2, the place and the file', async () => {
    const file = join(box.dir, 'p.yaml');
    writeFileSync(file, `backend: wasm\nteacher:\n  type: onnx.Teacher\n  file: ${join(box.dir, 'yolov5l.onnx')}\nstudent: { type: yolov5.Model, scale: n, classes: 80 }\nstages:\n  - { type: data.Check }\n`);
    expect(await runCli(['validate', file], { io })).toBe(2);
    expect(box.err).toMatch(/p\.yaml:3:3: teacher: cannot build onnx\.Teacher: .*yolov5l\.onnx: file not found/);
  });
});
