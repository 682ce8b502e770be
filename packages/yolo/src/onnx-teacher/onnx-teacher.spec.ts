import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import type { ModelOutput, OnnxSessionFactory } from '@yolo-distill/core';
import { createOnnxTeacher } from './create-onnx-teacher.js';
import type { OnnxTeacher } from './onnx-teacher.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';

const ort = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled', intraOpThreads: 1 });

async function floats(file: string): Promise<Float32Array> {
  const bytes = await readFile(join(FIXTURES, file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** max |actual - reference| / max |reference| */
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

/** The fixture's NCHW input image as a batch of `copies` NHWC images. */
async function images(copies = 1): Promise<tf.Tensor4D> {
  const nchw = tf.tensor4d(await floats('yolov5n.input.bin'), [1, 3, 160, 160]);
  const batch = tf.tidy(() => tf.tile(tf.transpose(nchw, [0, 2, 3, 1]), [copies, 1, 1, 1]) as tf.Tensor4D);
  nchw.dispose();
  return batch;
}

/** Reference P-level maps (NCHW [1, C, H, W]) in NHWC order. */
async function featureNhwc(file: string, [c, h, w]: readonly number[]): Promise<Float32Array> {
  const nchw = await floats(file);
  const out = new Float32Array(nchw.length);
  for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) out[p * c + k] = nchw[k * h * w + p] as number;
  return out;
}

const disposeOutput = (output: ModelOutput) => tf.dispose([...output.head, ...Object.values(output.features)]);
const NECK = ['neck.0', 'neck.1', 'neck.2'];
const GRIDS = [20, 10, 5];

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('createOnnxTeacher: yolov5n.onnx', () => {
  let teacher: OnnxTeacher;
  beforeAll(async () => {
    teacher = await createOnnxTeacher(join(FIXTURES, 'yolov5n.onnx'), ort);
  });
  afterAll(() => teacher.dispose());

  it('describes itself from the graph', () => {
    expect(teacher.name).toBe('yolov5n.onnx');
    expect(teacher.headKind).toBe('anchor-based');
    expect(teacher.numClasses).toBe(80);
    expect(teacher.taps).toEqual(NECK);
    expect(teacher.weightsSource).toBe(join(FIXTURES, 'yolov5n.onnx'));
  });

  it('gives the raw head maps as [B, H, W, na * (5 + nc)] and P3-P5 as NHWC, as PyTorch computed them', async () => {
    const input = await images();
    const before = tf.memory().numTensors;
    const output = await teacher.forward(input, NECK);
    expect(tf.memory().numTensors - before).toBe(6); // what it returns, nothing else
    const raw = await floats('yolov5n.raw.bin');
    let offset = 0;
    for (const [level, map] of output.head.entries()) {
      const g = GRIDS[level] as number;
      expect(map.shape).toEqual([1, g, g, 255]);
      // raw.bin holds [1, na, H, W, 85] per level; channel a * 85 + k of ours is anchor a, field k
      const reference = new Float32Array(g * g * 255);
      for (let a = 0; a < 3; a++) for (let p = 0; p < g * g; p++) for (let k = 0; k < 85; k++) reference[p * 255 + a * 85 + k] = raw[offset + (a * g * g + p) * 85 + k] as number;
      offset += 3 * g * g * 85;
      expect(relativeMaxDiff(map.dataSync(), reference), `level ${level}`).toBeLessThanOrEqual(1e-4);
    }
    for (const [i, tap] of NECK.entries()) {
      const g = GRIDS[i] as number;
      const c = 64 << i;
      expect(output.features[tap]?.shape).toEqual([1, g, g, c]);
      expect(relativeMaxDiff(output.features[tap]?.dataSync() ?? [], await featureNhwc(`yolov5n.p${i + 3}.bin`, [c, g, g])), tap).toBeLessThanOrEqual(1e-4);
    }
    disposeOutput(output);
    input.dispose();
  });

  it('decodes like yolov5.Model does: the export\'s own boxes, objectness folded into the class scores', async () => {
    const input = await images();
    const output = await teacher.forward(input, []);
    const decoded = teacher.decode?.(output);
    expect(decoded?.shape).toEqual([1, 1575, 84]);
    // output.bin rows are [cx, cy, w, h, obj, 80 classes]
    const exported = await floats('yolov5n.output.bin');
    const reference = new Float32Array(1575 * 84);
    for (let row = 0; row < 1575; row++) {
      for (let k = 0; k < 4; k++) reference[row * 84 + k] = exported[row * 85 + k] as number;
      for (let k = 0; k < 80; k++) reference[row * 84 + 4 + k] = (exported[row * 85 + 4] as number) * (exported[row * 85 + 5 + k] as number);
    }
    expect(relativeMaxDiff(decoded?.dataSync() ?? [], reference)).toBeLessThanOrEqual(1e-4);
    tf.dispose(decoded);
    disposeOutput(output);
    input.dispose();
  });

  it('returns only the taps asked for', async () => {
    const input = await images();
    const output = await teacher.forward(input, ['neck.2', 'neck.2']);
    expect(Object.keys(output.features)).toEqual(['neck.2']);
    expect(output.head).toHaveLength(3);
    disposeOutput(output);
    input.dispose();
  });

  it('runs a batch larger than the static batch of 1 image by image', async () => {
    const runs: number[] = [];
    const counting: OnnxSessionFactory = {
      create: async (model, options) => {
        const session = await ort.create(model, options);
        return { ...session, inputNames: session.inputNames, outputNames: session.outputNames, run: (feeds, outputs) => (runs.push(feeds['images']?.dims[0] ?? 0), session.run(feeds, outputs)), release: () => session.release() };
      },
    };
    const chunked = await createOnnxTeacher(join(FIXTURES, 'yolov5n.onnx'), counting);
    const [single, pair] = [await images(1), await images(2)];
    const one = await teacher.forward(single, ['neck.0']);
    const two = await chunked.forward(pair, ['neck.0']);
    expect(runs).toEqual([1, 1]);
    for (const [level, map] of two.head.entries()) {
      expect(map.shape[0]).toBe(2);
      const expected = one.head[level]?.dataSync() ?? [];
      const both = map.dataSync();
      expect(both.subarray(0, expected.length)).toEqual(expected);
      expect(both.subarray(expected.length)).toEqual(expected);
    }
    expect(two.features['neck.0']?.shape).toEqual([2, 20, 20, 64]);
    [one, two].forEach(disposeOutput);
    tf.dispose([single, pair]);
    chunked.dispose();
  });

  it('lists the known taps for an unknown one, and names the static input size for a wrong image size', async () => {
    const input = await images();
    await expect(teacher.forward(input, ['neck.0', 'neck.3'])).rejects.toThrow("yolov5n.onnx: unknown tap 'neck.3'; known taps: neck.0, neck.1, neck.2");
    input.dispose();
    const large = tf.zeros([1, 320, 320, 3]) as tf.Tensor4D;
    await expect(teacher.forward(large, [])).rejects.toThrow("yolov5n.onnx: the model takes 160x160 images (static input 'images' [1, 3, 160, 160]), got 320x320");
    const gray = tf.zeros([1, 160, 160, 1]) as tf.Tensor4D;
    await expect(teacher.forward(gray, [])).rejects.toThrow("yolov5n.onnx: the model takes 3-channel images (input 'images' [1, 3, 160, 160]), got 1 channels");
    tf.dispose([large, gray]);
  });
});

describe('createOnnxTeacher: yolov8n.onnx', () => {
  it('gives the raw head maps as [B, H, W, 4 * 16 + nc] (box bins, then class logits) and P3-P5, as PyTorch computed them', async () => {
    const teacher = await createOnnxTeacher(join(FIXTURES, 'yolov8n.onnx'), ort);
    expect([teacher.headKind, teacher.numClasses, teacher.taps]).toEqual(['anchor-free', 4, NECK]);
    const input = await images();
    const output = await teacher.forward(input, NECK);
    // raw.bin is [1, 68, 525]: channels first, anchors of the levels one after another
    const raw = await floats('yolov8n.raw.bin');
    let anchor = 0;
    for (const [level, map] of output.head.entries()) {
      const g = GRIDS[level] as number;
      expect(map.shape).toEqual([1, g, g, 68]);
      const reference = new Float32Array(g * g * 68);
      for (let c = 0; c < 68; c++) for (let p = 0; p < g * g; p++) reference[p * 68 + c] = raw[c * 525 + anchor + p] as number;
      anchor += g * g;
      expect(relativeMaxDiff(map.dataSync(), reference), `level ${level}`).toBeLessThanOrEqual(1e-4);
    }
    for (const [i, tap] of NECK.entries()) {
      const g = GRIDS[i] as number;
      const c = 64 << i;
      expect(relativeMaxDiff(output.features[tap]?.dataSync() ?? [], await featureNhwc(`yolov8n.p${i + 3}.bin`, [c, g, g])), tap).toBeLessThanOrEqual(1e-4);
    }
    // decoded like yolov8.Model: output.bin is channel-first [1, 4 + nc, 525]
    const decoded = teacher.decode?.(output);
    expect(decoded?.shape).toEqual([1, 525, 8]);
    const exported = await floats('yolov8n.output.bin');
    const reference = new Float32Array(525 * 8);
    for (let row = 0; row < 525; row++) for (let k = 0; k < 8; k++) reference[row * 8 + k] = exported[k * 525 + row] as number;
    expect(relativeMaxDiff(decoded?.dataSync() ?? [], reference)).toBeLessThanOrEqual(1e-4);
    tf.dispose(decoded);
    disposeOutput(output);
    input.dispose();
    teacher.dispose();
    await expect(teacher.forward(input, [])).rejects.toThrow('yolov8n.onnx: the teacher was disposed');
  });
});

describe('createOnnxTeacher: taps and a head given by name', () => {
  it('adds taps and takes a head named tensor by tensor, computing what the found head computes', async () => {
    const file = join(FIXTURES, 'yolov5n.onnx');
    const found = await createOnnxTeacher(file, ort, { taps: { 'backbone.4': '/model.4/cv3/act/Mul_output_0' } });
    expect(found.taps).toEqual([...NECK, 'backbone.4']);
    const named = await createOnnxTeacher(file, ort, {
      classes: 80,
      head: [0, 1, 2].map((i) => `/model.24/m.${i}/Conv_output_0`),
      taps: { 'neck.0': '/model.17/cv3/act/Mul_output_0', 'neck.1': '/model.20/cv3/act/Mul_output_0' },
    });
    expect([named.headKind, named.numClasses, named.taps]).toEqual(['anchor-based', 80, ['neck.0', 'neck.1']]);
    const input = await images();
    const [a, b] = [await found.forward(input, ['backbone.4', 'neck.1']), await named.forward(input, ['neck.1'])];
    expect(a.features['backbone.4']?.shape).toEqual([1, 20, 20, 64]); // C3(256) x width 0.25 at stride 8
    expect(b.features['neck.1']?.dataSync()).toEqual(a.features['neck.1']?.dataSync());
    b.head.forEach((map, level) => expect(map.dataSync()).toEqual(a.head[level]?.dataSync()));
    [a, b].forEach(disposeOutput);
    input.dispose();
    found.dispose();
    named.dispose();
  });

  it('names the file, the tap and close names for a tensor the graph does not have', async () => {
    const file = join(FIXTURES, 'yolov5n.onnx');
    await expect(createOnnxTeacher(file, ort, { taps: { p3: '/model.17/cv3/act/Mul_output' } })).rejects.toThrow(
      `${file}: tap 'p3': no node outputs tensor '/model.17/cv3/act/Mul_output' (closest: /model.17/cv3/act/Mul_output_0`,
    );
    await expect(createOnnxTeacher(file, ort, { head: ['nope'] })).rejects.toThrow(`${file}: a head named by its tensors needs 'classes'`);
  });
});

describe('createOnnxTeacher: bad files', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'yd-onnx-teacher-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('names a missing file and a file that is not ONNX', async () => {
    const missing = join(folder, 'absent.onnx');
    await expect(createOnnxTeacher(missing, ort)).rejects.toThrow(`${missing}: file not found`);
    const text = join(folder, 'teacher.onnx');
    await writeFile(text, 'names: [person, car]\n');
    await expect(createOnnxTeacher(text, ort)).rejects.toThrow(`${text}: not an ONNX model`);
  });
});
