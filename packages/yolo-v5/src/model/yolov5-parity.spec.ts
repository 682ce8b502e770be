import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorLevelView, importOnnxWeights, type YoloModel } from '@yolo-distill/yolo';
import { buildYoloV5 } from './build-yolo-v5.js';
import { ultralyticsFixture, readFixtureFloats, relativeMaxError } from '@yolo-distill/core/testing';

const meta = JSON.parse(readFileSync(ultralyticsFixture('yolov5n.json'), 'utf8')) as { params_unfused: number };

const inputNhwc = (): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.tensor4d(readFixtureFloats('yolov5n.input.bin'), [1, 3, 160, 160]), [0, 2, 3, 1]));

interface Parity {
  raw: number;
  output: number;
  detections: number;
  p3: number;
  p4: number;
  p5: number;
}

async function parityOf(model: YoloModel): Promise<Parity> {
  const images = inputNhwc();
  const output = model.forward(images, { training: false, taps: ['neck.0', 'neck.1', 'neck.2'] });
  const raw = tf.tidy(() => tf.concat(output.head.map((level) => tf.reshape(anchorLevelView(level as tf.Tensor4D, 3), [-1]))));
  const exported = model.decodeAsExported(output);
  const detections = model.decode(output);
  const reference = readFixtureFloats('yolov5n.output.bin');
  // decode(): [B, N, 4 + nc] with obj * cls, derived from the reference [B, N, 5 + nc].
  const referenceDetections = tf.tidy(() => {
    const rows = tf.tensor2d(reference, [1575, 85]);
    return tf.concat([tf.slice(rows, [0, 0], [-1, 4]), tf.mul(tf.slice(rows, [0, 4], [-1, 1]), tf.slice(rows, [0, 5], [-1, 80]))], 1);
  });
  const nchw = (tap: string) => tf.tidy(() => tf.transpose(output.features[tap] as tf.Tensor4D, [0, 3, 1, 2]));
  const [p3, p4, p5] = ['neck.0', 'neck.1', 'neck.2'].map(nchw) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const result: Parity = {
    raw: relativeMaxError(await raw.data<'float32'>(), readFixtureFloats('yolov5n.raw.bin')),
    output: relativeMaxError(await exported.data<'float32'>(), reference),
    detections: relativeMaxError(await detections.data<'float32'>(), await referenceDetections.data<'float32'>()),
    p3: relativeMaxError(await p3.data<'float32'>(), readFixtureFloats('yolov5n.p3.bin')),
    p4: relativeMaxError(await p4.data<'float32'>(), readFixtureFloats('yolov5n.p4.bin')),
    p5: relativeMaxError(await p5.data<'float32'>(), readFixtureFloats('yolov5n.p5.bin')),
  };
  expect(exported.shape).toEqual([1, 1575, 85]);
  expect(detections.shape).toEqual([1, 1575, 84]);
  expect(p3.shape).toEqual([1, 64, 20, 20]);
  tf.dispose([images, raw, exported, detections, referenceDetections, p3, p4, p5, ...output.head, ...Object.values(output.features)]);
  return result;
}

const TOLERANCE = 1e-4;

describe.each(['cpu', 'wasm'] as const)('YOLOv5n against the ultralytics/yolov5 fixtures (%s backend)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it.each([
    ['fused export', 'yolov5n.onnx'],
    ['nofuse export', 'yolov5n.nofuse.onnx'],
  ])('reproduces raw head, decoded output and P3/P4/P5 after importing the %s', async (_kind, file) => {
    const model = buildYoloV5({ scale: 'n', numClasses: 80 });
    const report = await importOnnxWeights(model, ultralyticsFixture(file));
    expect(report.fused).toBe(file === 'yolov5n.onnx');
    expect(report.loaded).toBe(model.parameters().length);
    const parity = await parityOf(model);
    console.info(`yolov5n ${backend} ${file}: ${JSON.stringify(parity)}`);
    for (const [name, value] of Object.entries(parity)) expect(value, name).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });
});

describe('YOLOv5n as built', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the parameter count PyTorch reports for the unfused model', () => {
    const model = buildYoloV5({ scale: 'n', numClasses: 80 });
    expect(model.parameterCount()).toBe(meta.params_unfused);
    expect(model.strides).toEqual([8, 16, 32]);
    expect(model.headKind).toBe('anchor-based');
    model.dispose();
  });
});
