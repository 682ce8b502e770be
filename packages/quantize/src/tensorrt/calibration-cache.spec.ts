import { OrtSessionFactory } from '@yolo-distill/backend';
import { OnnxModelBuilder, parseOnnxModel } from '@yolo-distill/yolo';
import { TensorStatistics } from '../calibration/tensor-ranges.js';
import { hexToScale, parseCalibrationCache, scaleToHex, tensorRtVersionNumber, writeCalibrationCache } from './calibration-cache.js';
import { tensorRtCalibration } from './tensorrt-calibration.js';
import { checkTensorRtOnnx } from './tensorrt-onnx-check.js';

const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled' });

describe('TensorRT calibration cache', () => {
  it('writes scales as the hex of their float32 bits, as TensorRT does', () => {
    expect(scaleToHex(1 / 128)).toBe('3c000000');
    // TensorRT's sampleINT8 cache holds 'prob: 3c010a14' for a softmax output: amax 1.0002, scale amax / 127.
    expect(hexToScale('3c010a14') * 127).toBeCloseTo(1.00024, 5);
    expect(tensorRtVersionNumber('8.6.1')).toBe(8601);
    expect(tensorRtVersionNumber('10.0')).toBe(10000);
    expect(() => tensorRtVersionNumber('8')).toThrow("TensorRT version '8': expected major.minor[.patch]");
  });

  it('calibrates every float tensor of a graph by entropy and parses back to the same scales', async () => {
    const weights = Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.sin(i * 1.7) * 0.5);
    const bytes = new OnnxModelBuilder({ opset: 13 })
      .input('images', [1, 3, 8, 8])
      .initializer('w', weights, [4, 3, 3, 3])
      .node('Conv', ['images', 'w'], ['conv'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: '/model.0/conv/Conv' })
      .node('Relu', ['conv'], ['relu'], {}, { name: '/model.0/act/Relu' })
      .output('relu', [1, 4, 8, 8])
      .encode();
    const model = parseOnnxModel(bytes, 'tiny.onnx');
    const images = Array.from({ length: 3 }, (_, k) => Float32Array.from({ length: 3 * 64 }, (_, i) => ((i * 37 + k * 11) % 101) / 100));
    const cache = await tensorRtCalibration(model, { count: 3, image: async (i) => ({ data: images[i] as Float32Array, dims: [1, 3, 8, 8] }) }, sessions, 8601);
    expect([...cache.scales.keys()]).toEqual(['images', 'conv', 'relu']);
    // The input's scale by hand: the entropy threshold of its magnitudes over the three images, / 127.
    const stats = new TensorStatistics({ method: 'entropy', percentile: 99.99, symmetric: true, bins: 2048 });
    for (const x of images) stats.observe(x);
    for (const x of images) stats.histogram(x);
    expect(cache.scales.get('images')).toBeCloseTo(stats.range().max / 127, 12);
    const text = writeCalibrationCache(cache);
    expect(text.split('\n')[0]).toBe('TRT-8601-EntropyCalibration2');
    expect(text).toMatch(/^images: [0-9a-f]{8}$/m);
    const parsed = parseCalibrationCache(text, 'model.calib');
    expect(parsed.version).toBe(8601);
    expect(parsed.calibrator).toBe('EntropyCalibration2');
    expect([...parsed.scales]).toEqual([...cache.scales].map(([name, scale]) => [name, Math.fround(scale)]));
    expect(checkTensorRtOnnx(model)).toEqual([]);
  });

  it('names the file and line of a broken cache', () => {
    expect(() => parseCalibrationCache('TRT-8601-EntropyCalibration2\nimages 3c000000\n', 'x.calib')).toThrow("x.calib:2: expected '<tensor>: <hex scale>', found 'images 3c000000'");
    expect(() => parseCalibrationCache('images: 3c000000\n', 'x.calib')).toThrow('x.calib:1: expected a header TRT-<version>-<calibrator>');
    expect(() => parseCalibrationCache('TRT-8601-EntropyCalibration2\na: xyz\n', 'x.calib')).toThrow("x.calib:2: 'xyz' is not the hex of a float32");
  });

  it('flags dynamic dims and ops TensorRT does not parse', () => {
    const model = parseOnnxModel(
      new OnnxModelBuilder({ opset: 13 }).input('x', ['batch', 3]).node('Erf', ['x'], ['y'], {}, { name: 'erf' }).output('y', null).encode(),
      'odd.onnx',
    );
    expect(checkTensorRtOnnx(model).map((p) => [p.node, p.problem])).toEqual([
      ['input x', 'dims [batch, 3] are not static'],
      ['erf', 'op Erf is not one TensorRT\'s ONNX parser imports'],
    ]);
  });
});
