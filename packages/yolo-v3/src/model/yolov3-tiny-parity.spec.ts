import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorLevelView, importOnnxWeights, type YoloModel } from '@yolo-distill/yolo';
import { buildYoloV3 } from './build-yolo-v3.js';
import { YOLOV3_TINY_YAML } from './yolov3-yamls.js';
import { ultralyticsFixture, readFixtureFloats, relativeMaxError } from '@yolo-distill/core/testing';

const meta = JSON.parse(readFileSync(ultralyticsFixture('yolov3-tiny.json'), 'utf8')) as {
  params_unfused: number;
  source: { yaml_overrides: { width_multiple: number } };
  anchors_pixels: number[][][];
};

/** yolov3-tiny.yaml with the fixture's one change (width_multiple 0.25), as the fixture README lists it. */
const FIXTURE_YAML = YOLOV3_TINY_YAML.replace('width_multiple: 1.0', `width_multiple: ${meta.source.yaml_overrides.width_multiple}`);
const buildFixtureModel = (): YoloModel => buildYoloV3({ scale: 'yolov3-tiny', numClasses: 80, yaml: { text: FIXTURE_YAML, file: 'yolov3-tiny-w0.25.yaml' } });

const inputNhwc = (): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.tensor4d(readFixtureFloats('yolov3-tiny.input.bin'), [1, 3, 160, 160]), [0, 2, 3, 1]));

interface Parity {
  raw: number;
  output: number;
  p4: number;
  p5: number;
}

async function parityOf(model: YoloModel): Promise<Parity> {
  const images = inputNhwc();
  const output = model.forward(images, { training: false, taps: ['neck.0', 'neck.1'] });
  const raw = tf.tidy(() => tf.concat(output.head.map((level) => tf.reshape(anchorLevelView(level as tf.Tensor4D, 3), [-1]))));
  const exported = model.decodeAsExported(output);
  const nchw = (tap: string) => tf.tidy(() => tf.transpose(output.features[tap] as tf.Tensor4D, [0, 3, 1, 2]));
  // The head reads P4 (layer 19) then P5 (layer 15): neck.0 is P4, neck.1 is P5.
  const [p4, p5] = ['neck.0', 'neck.1'].map(nchw) as [tf.Tensor, tf.Tensor];
  expect(exported.shape).toEqual([1, 375, 85]);
  expect(p4.shape).toEqual([1, 64, 10, 10]);
  expect(p5.shape).toEqual([1, 128, 5, 5]);
  const result: Parity = {
    raw: relativeMaxError(await raw.data<'float32'>(), readFixtureFloats('yolov3-tiny.raw.bin')),
    output: relativeMaxError(await exported.data<'float32'>(), readFixtureFloats('yolov3-tiny.output.bin')),
    p4: relativeMaxError(await p4.data<'float32'>(), readFixtureFloats('yolov3-tiny.p4.bin')),
    p5: relativeMaxError(await p5.data<'float32'>(), readFixtureFloats('yolov3-tiny.p5.bin')),
  };
  tf.dispose([images, raw, exported, p4, p5, ...output.head, ...Object.values(output.features)]);
  return result;
}

const TOLERANCE = 1e-4;

describe.each(['cpu', 'wasm'] as const)('YOLOv3-tiny against the ultralytics/yolov3 fixtures (%s backend)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it.each([
    ['fused export', 'yolov3-tiny.onnx'],
    ['nofuse export', 'yolov3-tiny.nofuse.onnx'],
  ])('reproduces raw head, decoded output and P4/P5 after importing the %s', async (_kind, file) => {
    const model = buildFixtureModel();
    const report = await importOnnxWeights(model, ultralyticsFixture(file));
    expect(report.fused).toBe(file === 'yolov3-tiny.onnx');
    expect(report.loaded).toBe(model.parameters().length);
    const parity = await parityOf(model);
    console.info(`yolov3-tiny ${backend} ${file}: ${JSON.stringify(parity)}`);
    for (const [name, value] of Object.entries(parity)) expect(value, name).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });
});

describe('YOLOv3-tiny as built for the fixture', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the parameter count, strides and anchors PyTorch reports for the unfused model', () => {
    const model = buildFixtureModel();
    expect(model.parameterCount()).toBe(meta.params_unfused);
    expect(model.strides).toEqual([16, 32]);
    expect(model.headKind).toBe('anchor-based');
    expect(model.headDescription.anchors).toEqual(meta.anchors_pixels);
    model.dispose();
  });
});
