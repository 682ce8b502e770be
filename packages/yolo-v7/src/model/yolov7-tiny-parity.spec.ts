import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { anchorLevelView, importOnnxWeights, type YoloModel } from '@yolo-distill/yolo';
import { buildYoloV7 } from './build-yolo-v7.js';
import { YOLOV7_TINY_YAML } from './yolov7-yamls.js';
import { ultralyticsFixture, readFixtureFloats, relativeMaxError } from '@yolo-distill/core/testing';

const meta = JSON.parse(readFileSync(ultralyticsFixture('yolov7-tiny.json'), 'utf8')) as {
  params_unfused: number;
  source: { yaml_overrides: { width_multiple: number } };
  anchors_pixels: number[][][];
  decoded: { subset: { anchor_indices: number[]; rows: number[][] } };
};

/** yolov7-tiny.yaml with the fixture's one change (width_multiple 0.25). */
const FIXTURE_YAML = YOLOV7_TINY_YAML.replace('width_multiple: 1.0', `width_multiple: ${meta.source.yaml_overrides.width_multiple}`);
const buildFixtureModel = (): YoloModel => buildYoloV7({ scale: 'yolov7-tiny', numClasses: 80, yaml: { text: FIXTURE_YAML, file: 'yolov7-tiny-w0.25.yaml' } });

const inputNhwc = (): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.tensor4d(readFixtureFloats('yolov7-tiny.input.bin'), [1, 3, 160, 160]), [0, 2, 3, 1]));

interface Parity {
  raw: number;
  decodedRows: number;
  p3: number;
  p4: number;
  p5: number;
}

async function parityOf(model: YoloModel): Promise<Parity> {
  const images = inputNhwc();
  const output = model.forward(images, { training: false, taps: ['neck.0', 'neck.1', 'neck.2'] });
  // The export returns the raw levels [1, 3, ny, nx, 85], concatenated in output.bin.
  const raw = tf.tidy(() => tf.concat(output.head.map((level) => tf.reshape(anchorLevelView(level as tf.Tensor4D, 3), [-1]))));
  const exported = model.decodeAsExported(output);
  const rows = await exported.data<'float32'>();
  const { anchor_indices: indices, rows: referenceRows } = meta.decoded.subset;
  const ourRows = indices.flatMap((row) => Array.from(rows.subarray(row * 85, row * 85 + 85)));
  const nchw = (tap: string) => tf.tidy(() => tf.transpose(output.features[tap] as tf.Tensor4D, [0, 3, 1, 2]));
  const [p3, p4, p5] = ['neck.0', 'neck.1', 'neck.2'].map(nchw) as [tf.Tensor, tf.Tensor, tf.Tensor];
  expect(exported.shape).toEqual([1, 1575, 85]);
  expect(p3.shape).toEqual([1, 32, 20, 20]);
  const result: Parity = {
    raw: relativeMaxError(await raw.data<'float32'>(), readFixtureFloats('yolov7-tiny.output.bin')),
    decodedRows: relativeMaxError(ourRows, referenceRows.flat()),
    p3: relativeMaxError(await p3.data<'float32'>(), readFixtureFloats('yolov7-tiny.p3.bin')),
    p4: relativeMaxError(await p4.data<'float32'>(), readFixtureFloats('yolov7-tiny.p4.bin')),
    p5: relativeMaxError(await p5.data<'float32'>(), readFixtureFloats('yolov7-tiny.p5.bin')),
  };
  tf.dispose([images, raw, exported, p3, p4, p5, ...output.head, ...Object.values(output.features)]);
  return result;
}

const TOLERANCE = 1e-4;

describe.each(['cpu', 'wasm'] as const)('YOLOv7-tiny against the WongKinYiu/yolov7 fixtures (%s backend)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it.each([
    ['fused export (ImplicitA/M folded into the head convs)', 'yolov7-tiny.onnx'],
    ['nofuse export (BatchNorms, ImplicitA/M kept)', 'yolov7-tiny.nofuse.onnx'],
  ])('reproduces raw head, decoded rows and P3/P4/P5 after importing the %s', async (_kind, file) => {
    const model = buildFixtureModel();
    const report = await importOnnxWeights(model, ultralyticsFixture(file));
    const fused = file === 'yolov7-tiny.onnx';
    expect(report.fused).toBe(fused);
    expect(report.loaded).toBe(model.parameters().length);
    // Three levels of ImplicitA and ImplicitM.
    expect(report.foldedParameters).toBe(fused ? 6 : 0);
    const parity = await parityOf(model);
    console.info(`yolov7-tiny ${backend} ${file}: ${JSON.stringify(parity)}`);
    for (const [name, value] of Object.entries(parity)) expect(value, name).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });
});

describe('YOLOv7-tiny as built for the fixture', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('has the parameter count, strides and anchors PyTorch reports for the unfused model', () => {
    const model = buildFixtureModel();
    expect(model.parameterCount()).toBe(meta.params_unfused);
    expect(model.strides).toEqual([8, 16, 32]);
    expect(model.headKind).toBe('anchor-based');
    expect(model.headDescription?.anchors).toEqual(meta.anchors_pixels);
    model.dispose();
  });
});
