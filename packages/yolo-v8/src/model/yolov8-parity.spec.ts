import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { flattenLevels, importOnnxWeights, type YoloModel } from '@yolo-distill/yolo';
import { buildYoloV8 } from './build-yolo-v8.js';
import { ultralyticsFixture, readFixtureFloats, relativeMaxError } from '@yolo-distill/core/testing';

const meta = JSON.parse(readFileSync(ultralyticsFixture('yolov8n.json'), 'utf8')) as { params_unfused: number };

const inputNhwc = (): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.tensor4d(readFixtureFloats('yolov8n.input.bin'), [1, 3, 160, 160]), [0, 2, 3, 1]));

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
  // raw.bin is [1, 4 * reg_max + nc, 525]: levels flattened, channel-first.
  const raw = tf.tidy(() => tf.transpose(flattenLevels(output.head as tf.Tensor4D[]), [0, 2, 1]));
  const exported = model.decodeAsExported(output);
  const detections = model.decode(output);
  const reference = readFixtureFloats('yolov8n.output.bin');
  // decode(): [B, N, 4 + nc], the reference [B, 4 + nc, N] transposed.
  const referenceDetections = tf.tidy(() => tf.transpose(tf.tensor3d(reference, [1, 8, 525]), [0, 2, 1]));
  const nchw = (tap: string) => tf.tidy(() => tf.transpose(output.features[tap] as tf.Tensor4D, [0, 3, 1, 2]));
  const [p3, p4, p5] = ['neck.0', 'neck.1', 'neck.2'].map(nchw) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const result: Parity = {
    raw: relativeMaxError(await raw.data<'float32'>(), readFixtureFloats('yolov8n.raw.bin')),
    output: relativeMaxError(await exported.data<'float32'>(), reference),
    detections: relativeMaxError(await detections.data<'float32'>(), await referenceDetections.data<'float32'>()),
    p3: relativeMaxError(await p3.data<'float32'>(), readFixtureFloats('yolov8n.p3.bin')),
    p4: relativeMaxError(await p4.data<'float32'>(), readFixtureFloats('yolov8n.p4.bin')),
    p5: relativeMaxError(await p5.data<'float32'>(), readFixtureFloats('yolov8n.p5.bin')),
  };
  expect(exported.shape).toEqual([1, 8, 525]);
  expect(detections.shape).toEqual([1, 525, 8]);
  expect(p3.shape).toEqual([1, 64, 20, 20]);
  tf.dispose([images, raw, exported, detections, referenceDetections, p3, p4, p5, ...output.head, ...Object.values(output.features)]);
  return result;
}

const TOLERANCE = 1e-4;

describe.each(['cpu', 'wasm'] as const)('YOLOv8n against the ultralytics 8.4.52 fixtures (%s backend)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  // Only the fused export ships for yolov8n (the fixture README: the nofuse file would pass 40 MB).
  it('reproduces raw head, decoded output and P3/P4/P5 after importing the fused export', async () => {
    const file = 'yolov8n.onnx';
    const model = buildYoloV8({ scale: 'n', numClasses: 4 });
    const report = await importOnnxWeights(model, ultralyticsFixture(file));
    expect(report.fused).toBe(true);
    expect(report.loaded).toBe(model.parameters().length);
    const parity = await parityOf(model);
    console.info(`yolov8n ${backend} ${file}: ${JSON.stringify(parity)}`);
    for (const [name, value] of Object.entries(parity)) expect(value, name).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });
});

describe('YOLOv8n as built', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the parameter count PyTorch reports for the unfused model', () => {
    const model = buildYoloV8({ scale: 'n', numClasses: 4 });
    expect(model.parameterCount()).toBe(meta.params_unfused);
    expect(model.strides).toEqual([8, 16, 32]);
    expect(model.headKind).toBe('anchor-free');
    model.dispose();
  });
});
