import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { withExtraOutputs } from './onnx-graph-edit.js';
import { parseOnnxModel, readOnnxModel } from './onnx-model.js';
import { onnx } from './onnx-proto.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';


async function floats(file: string): Promise<Float32Array> {
  const bytes = await readFile(join(FIXTURES, file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function relativeMaxDiff(actual: Float32Array, reference: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (reference[i] as number)));
    scale = Math.max(scale, Math.abs(reference[i] as number));
  }
  return diff / scale;
}

const ort = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled' });

describe('withExtraOutputs', () => {
  it('yolov5n: onnxruntime returns P3/P4/P5 as PyTorch computed them, and output0 unchanged', async () => {
    const model = await readOnnxModel(join(FIXTURES, 'yolov5n.onnx'));
    const taps = ['/model.17/cv3/act/Mul_output_0', '/model.20/cv3/act/Mul_output_0', '/model.23/cv3/act/Mul_output_0'];
    const bytes = withExtraOutputs(model, taps);

    const edited = parseOnnxModel(bytes, 'edited');
    expect(edited.outputs.map((output) => output.name)).toEqual(['output0', ...taps]);
    expect(edited.outputs[1]).toEqual({ name: taps[0], elemType: 'float32', dims: null }); // torch wrote no value_info
    expect(model.outputs.map((output) => output.name)).toEqual(['output0']); // the source model is untouched
    expect(model.proto.graph?.output).toHaveLength(1);

    const session = await ort.create(bytes);
    try {
      const input = await floats('yolov5n.input.bin');
      const results = await session.run({ images: { data: input, dims: [1, 3, 160, 160] } });
      const expected: Record<string, [string, number[]]> = {
        [taps[0] as string]: ['yolov5n.p3.bin', [1, 64, 20, 20]],
        [taps[1] as string]: ['yolov5n.p4.bin', [1, 128, 10, 10]],
        [taps[2] as string]: ['yolov5n.p5.bin', [1, 256, 5, 5]],
        output0: ['yolov5n.output.bin', [1, 1575, 85]],
      };
      for (const [name, [file, dims]] of Object.entries(expected)) {
        const result = results[name];
        expect(result?.dims, name).toEqual(dims);
        const reference = await floats(file);
        expect(result?.data.length).toBe(reference.length);
        expect(relativeMaxDiff(result?.data ?? new Float32Array(), reference), name).toBeLessThanOrEqual(1e-4);
      }
    } finally {
      await session.release();
    }
  });

  it('takes the declared type and shape from value_info, and adds an existing output only once', () => {
    const model = parseOnnxModel(
      onnx.ModelProto.encode(
        onnx.ModelProto.create({
          irVersion: 7,
          opsetImport: [{ domain: '', version: 13 }],
          graph: {
            name: 'g',
            node: [
              { opType: 'Relu', name: 'relu', input: ['x'], output: ['r'] },
              { opType: 'Neg', name: 'neg', input: ['r'], output: ['y'] },
            ],
            input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 3 }] } } } }],
            output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 3 }] } } } }],
            valueInfo: [{ name: 'r', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 3 }] } } } }],
          },
        }),
      ).finish(),
      'tiny.onnx',
    );
    const edited = parseOnnxModel(withExtraOutputs(model, ['r', 'y', 'r']), 'edited');
    expect(edited.outputs).toEqual([
      { name: 'y', elemType: 'float32', dims: ['n', 3] },
      { name: 'r', elemType: 'float32', dims: ['n', 3] },
    ]);
  });

  it('names the file, the unknown tensor and close names', async () => {
    const path = join(FIXTURES, 'yolov5n.onnx');
    const model = await readOnnxModel(path);
    expect(() => withExtraOutputs(model, ['/model.17/cv3/act/Mul_output'])).toThrow(
      `${path}: no node outputs tensor '/model.17/cv3/act/Mul_output' (closest: /model.17/cv3/act/Mul_output_0, `,
    );
    // an initializer is not produced by a node either
    expect(() => withExtraOutputs(model, ['model.0.conv.weight'])).toThrow(/no node outputs tensor 'model\.0\.conv\.weight'/);
  });
});
