import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { SeededRng } from '@yolo-distill/core';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { prepareTfjs } from '../tfjs-setup.js';
import { relativeMaxError } from '@yolo-distill/core/testing';

type Pad = 'same' | 'valid' | number;
interface ConvCase {
  readonly label: string;
  readonly input: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number | [number, number];
  readonly pad: Pad;
}

function random(shape: readonly number[], seed: number): Float32Array {
  const rng = new SeededRng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-1, 1);
  return data;
}

async function onBackend(name: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(name);
  const result = tf.tidy(compute);
  const data = (await result.data()) as Float32Array;
  result.dispose();
  return data;
}

const cases: ConvCase[] = [];
for (const batch of [1, 8]) {
  for (const [kernel, inC, outC] of [
    [1, 5, 7],
    [3, 4, 6],
  ] as const) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        const size: [number, number] = batch === 1 ? [9, 7] : [6, 5];
        cases.push({ label: `b${batch} ${kernel}x${kernel} s${stride} ${pad} ${size.join('x')}`, input: [batch, size[0], size[1], inC], filter: [kernel, kernel, inC, outC], stride, pad });
      }
    }
  }
}
cases.push({ label: 'YOLOv5 stem 6x6 s2 pad 2', input: [2, 16, 16, 3], filter: [6, 6, 3, 8], stride: 2, pad: 2 });
cases.push({ label: '5x5 s2 same, even input', input: [2, 10, 12, 3], filter: [5, 5, 3, 4], stride: 2, pad: 'same' });
cases.push({ label: '3x3 s2 valid, odd remainder', input: [3, 8, 11, 2], filter: [3, 3, 2, 3], stride: 2, pad: 'valid' });
cases.push({ label: '3x3 stride 2x1 (unequal strides)', input: [2, 9, 8, 3], filter: [3, 3, 3, 4], stride: [2, 1], pad: 'same' });
cases.push({ label: '4x4 s3 same', input: [2, 13, 11, 3], filter: [4, 4, 3, 5], stride: 3, pad: 'same' });
cases.push({ label: '1x1 s2 valid', input: [2, 7, 7, 4], filter: [1, 1, 4, 5], stride: 2, pad: 'valid' });
cases.push({ label: '1x1 s1 valid, more inputs than outputs', input: [3, 6, 5, 7], filter: [1, 1, 7, 3], stride: 1, pad: 'valid' });
cases.push({ label: '1x1 s1 pad 1', input: [2, 5, 5, 3], filter: [1, 1, 3, 4], stride: 1, pad: 1 });
cases.push({ label: '3x3 s2 pad 3 (wider than the filter)', input: [2, 9, 8, 3], filter: [3, 3, 3, 4], stride: 2, pad: 3 });

function outputShape(c: ConvCase, depthwise: boolean): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.input, c.filter, c.stride, 1, c.pad, undefined, depthwise);
  return info.outShape;
}

beforeAll(async () => {
  await prepareTfjs();
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

describe('wasm Conv2D gradient kernels match the cpu backend', () => {
  it.each(cases)('Conv2DBackpropFilter: $label', async (c) => {
    const dyShape = outputShape(c, false);
    const x = random(c.input, 1);
    const dy = random(dyShape, 2);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const run = () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, c.input), dy: tf.tensor4d(dy, dyShape) }, attrs) as tf.Tensor;
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.length).toBe(c.filter.reduce((a, b) => a * b, 1));
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-4);
  });

  it.each(cases)('Conv2DBackpropInput: $label', async (c) => {
    const dyShape = outputShape(c, false);
    const dy = random(dyShape, 3);
    const w = random(c.filter, 4);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.input };
    const run = () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, c.filter) }, attrs) as tf.Tensor;
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.length).toBe(c.input.reduce((a, b) => a * b, 1));
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-4);
  });
});

const depthwiseCases: ConvCase[] = cases
  .filter((c) => typeof c.pad === 'string')
  .flatMap((c) => [
    { ...c, label: `${c.label}, multiplier 1`, filter: [c.filter[0], c.filter[1], c.input[3], 1] as [number, number, number, number] },
    { ...c, label: `${c.label}, multiplier 2`, filter: [c.filter[0], c.filter[1], c.input[3], 2] as [number, number, number, number] },
  ]);

describe('wasm depthwise gradient kernels match the cpu backend', () => {
  it.each(depthwiseCases)('DepthwiseConv2dNativeBackpropFilter: $label', async (c) => {
    const dyShape = outputShape(c, true);
    const x = random(c.input, 5);
    const dy = random(dyShape, 6);
    const attrs = { strides: c.stride, pad: c.pad, dilations: 1, filterShape: c.filter };
    const run = () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor4d(x, c.input), dy: tf.tensor4d(dy, dyShape) }, attrs) as tf.Tensor;
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-4);
  });

  it.each(depthwiseCases)('DepthwiseConv2dNativeBackpropInput: $label', async (c) => {
    const dyShape = outputShape(c, true);
    const dy = random(dyShape, 7);
    const w = random(c.filter, 8);
    const attrs = { strides: c.stride, pad: c.pad, dilations: 1, inputShape: c.input };
    const run = () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, c.filter) }, attrs) as tf.Tensor;
    const reference = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-4);
  });
});

describe('gradients through the op API', () => {
  it('tf.grads of conv2d -> sum of squares agree between wasm and cpu for input and filter', async () => {
    const x = random([2, 11, 9, 3], 9);
    const w = random([3, 3, 3, 4], 10);
    const compute = () => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([
        tf.tensor4d(x, [2, 11, 9, 3]),
        tf.tensor4d(w, [3, 3, 3, 4]),
      ]);
      return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
    };
    const reference = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-4);
  });

  it('the gather gradient (UnsortedSegmentSum) equals the hand-summed rows, with repeated and 2-D indices', async () => {
    const table = random([6, 5, 3], 15);
    const probe = random([2, 4, 5, 3], 16);
    const indices = [0, 2, 2, 5, 1, 1, 0, 3];
    const expected = new Float32Array(6 * 15);
    indices.forEach((row, i) => {
      for (let j = 0; j < 15; j++) expected[row * 15 + j] = (expected[row * 15 + j] as number) + (probe[i * 15 + j] as number);
    });
    const compute = () =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor2d(indices, [2, 4], 'int32')), tf.tensor4d(probe, [2, 4, 5, 3]))))(tf.tensor3d(table, [6, 5, 3]));
    expect(relativeMaxError(await onBackend('wasm', compute), expected)).toBeLessThan(1e-6);
    expect(relativeMaxError(await onBackend('cpu', compute), expected)).toBeLessThan(1e-6);
  });

  it('max-pool gradients (SPPF: 5x5, stride 1, same) agree on tie-free data', async () => {
    const x = random([2, 9, 7, 4], 13).map((value, i) => value + i * 1e-3);
    const probe = random([2, 9, 7, 4], 14);
    const compute = () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 5, 1, 'same'), tf.tensor4d(probe, [2, 9, 7, 4]))))(tf.tensor4d(x, [2, 9, 7, 4]));
    const reference = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expect(relativeMaxError(actual, reference)).toBeLessThan(1e-6);
  });

  it('OneHot writes the values of the dtype asked for (the stock wasm kernel wrote int bits into float32), out-of-range rows all off', async () => {
    const indices = [2, 0, -1, 3, 4];
    const expected = [0.1, 0.1, 0.9, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1];
    for (const backend of ['wasm', 'cpu'] as const) {
      const floats = await onBackend(backend, () => tf.oneHot(tf.tensor1d(indices, 'int32'), 4, 0.9, 0.1, 'float32'));
      expect(Array.from(floats)).toEqual(expected.map(Math.fround));
      await tf.setBackend(backend);
      const ints = tf.oneHot(tf.tensor2d([1, 3], [2, 1], 'int32'), 4);
      expect(ints.dtype).toBe('int32');
      expect(ints.shape).toEqual([2, 1, 4]);
      expect(Array.from(await ints.data())).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
      ints.dispose();
    }
  });

  it('a wasm kernel call leaves no tensor or buffer behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(random([2, 8, 8, 3], 11), [2, 8, 8, 3]);
    const dy = tf.tensor4d(random([2, 4, 4, 5], 12), [2, 4, 4, 5]);
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const dataIdsBefore = tf.backend().numDataIds();
    const result = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5] }) as tf.Tensor;
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
    x.dispose();
    dy.dispose();
  });
});
