import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableOrtProviders, OrtSessionFactory } from './ort-session-factory.js';
import { ULTRALYTICS_FIXTURES as fixtures, relativeMaxError } from '@yolo-distill/core/testing';

const floats = (file: string) => {
  const bytes = readFileSync(join(fixtures, file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

describe('OrtSessionFactory', () => {
  it('finds the reference fixtures', () => {
    expect(existsSync(join(fixtures, 'yolov5n.onnx'))).toBe(true);
  });

  it.each([
    ['yolov5n', [1, 1575, 85]],
    ['yolov8n', [1, 8, 525]],
    ['yolov3-tiny', [1, 375, 85]],
  ] as const)('runs the Ultralytics %s export and reproduces the PyTorch outputs', async (model, dims) => {
    const session = await new OrtSessionFactory().create(join(fixtures, `${model}.onnx`));
    expect(session.inputNames).toEqual(['images']);
    expect(session.executionProvider).toBe('cpu');
    const outputs = await session.run({ images: { data: floats(`${model}.input.bin`), dims: [1, 3, 160, 160] } });
    const output = outputs['output0'];
    expect(output?.dims).toEqual(dims);
    expect(relativeMaxError(output?.data as Float32Array, floats(`${model}.output.bin`))).toBeLessThan(1e-4);
    await session.release();
  });

  it('says which file is missing, and which file is not ONNX', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'yd-ort-'));
    try {
      await expect(new OrtSessionFactory().create(join(folder, 'absent.onnx'))).rejects.toThrow(`${join(folder, 'absent.onnx')}: file not found`);
      const bogus = join(folder, 'model.onnx');
      writeFileSync(bogus, 'this is not a protobuf');
      await expect(new OrtSessionFactory().create(bogus)).rejects.toThrow(new RegExp(`^${bogus.replace(/[.]/g, '\\.')} cannot be loaded by onnxruntime \\(cpu: .+\\)`));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lists the providers this install can load: cpu always, cuda only with its provider library', () => {
    const providers = availableOrtProviders();
    expect(providers).toContain('cpu');
    const cudaLibrary = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')), 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so');
    expect(providers.includes('cuda')).toBe(existsSync(cudaLibrary));
  });

  it('skips unavailable providers along the preference order and names the input it does not know', async () => {
    await expect(new OrtSessionFactory({ executionProviders: ['no-such-provider'] }).create(join(fixtures, 'yolov5n.onnx'))).rejects.toThrow(
      'none of the execution providers no-such-provider is available (available: cpu',
    );
    const session = await new OrtSessionFactory({ executionProviders: ['no-such-provider', 'cpu'] }).create(join(fixtures, 'yolov5n.onnx'));
    expect(session.executionProvider).toBe('cpu');
    await expect(session.run({ image: { data: new Float32Array(3 * 160 * 160), dims: [1, 3, 160, 160] } })).rejects.toThrow("has no input 'image' (inputs: images)");
    await session.release();
  });
});
