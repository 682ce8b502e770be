import { readFileSync } from 'node:fs';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { readFixtureFloats, relativeMaxError, ultralyticsFixture } from '@yolo-distill/core/testing';
import { encodeOnnxModel, parseOnnxModel, readOnnxModel, withExtraOutputs } from '@yolo-distill/yolo';
import type { CalibrationImages } from './calibration/collect-ranges.js';
import { foldOnnxBatchNorm } from './qdq/fold-onnx-batch-norm.js';
import { quantizeOnnx } from './quantize-onnx.js';

const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], graphOptimization: 'disabled' });
const input = readFixtureFloats('yolov5n.input.bin');
const dims = [1, 3, 160, 160];

/** The fixture image and brightness/contrast variations of it (deterministic). */
function images(count: number): CalibrationImages {
  return {
    count,
    image: async (i) => ({ data: input.map((v) => Math.min(1, Math.max(0, 0.5 + (v - 0.5) * (0.6 + 0.1 * i) + 0.03 * (i - count / 2)))), dims }),
  };
}


async function run(bytes: Uint8Array, data: Float32Array, output = 'output0'): Promise<Float32Array> {
  const session = await sessions.create(output === 'output0' ? bytes : withExtraOutputs(parseOnnxModel(bytes), [output]));
  try {
    const out = await session.run({ images: { data, dims } }, [output]);
    return (out[output] as { data: Float32Array }).data;
  } finally {
    await session.release();
  }
}

describe('quantizeOnnx on the upstream YOLOv5n export', () => {
  it('folds the unfused file\'s BatchNorms into the same outputs as the fused file', async () => {
    const nofuse = await readOnnxModel(ultralyticsFixture('yolov5n.nofuse.onnx'));
    const folded = foldOnnxBatchNorm(nofuse);
    expect(folded.nodes.filter((n) => n.opType === 'BatchNormalization')).toHaveLength(0);
    const reference = readFixtureFloats('yolov5n.output.bin');
    expect(relativeMaxError(await run(encodeOnnxModel(folded.proto), input), reference)).toBeLessThan(1e-4);
  }, 60_000);

  it('writes a QDQ model (int8 kernels, one Q/DQ pair per conv input) that onnxruntime runs, a quarter of the size', async () => {
    const file = ultralyticsFixture('yolov5n.onnx');
    const model = await readOnnxModel(file);
    const result = await quantizeOnnx(model, { images: images(4), sessions, method: 'minmax' });
    const q = parseOnnxModel(result.bytes, 'qdq');
    const convs = model.nodes.filter((n) => n.opType === 'Conv');
    const inputs = new Set(convs.map((c) => c.inputs[0]));
    expect(result.layers).toHaveLength(convs.length);
    expect(result.kept).toEqual([]);
    expect(q.nodes.filter((n) => n.opType === 'QuantizeLinear')).toHaveLength(inputs.size);
    expect(q.nodes.filter((n) => n.opType === 'DequantizeLinear')).toHaveLength(inputs.size + convs.length);
    expect(q.opset).toBe(13);
    expect(q.initializers().has(convs[0]?.inputs[1] ?? '')).toBe(false);
    expect(result.bytes.length / readFileSync(file).length).toBeLessThan(0.3);
    // Upstream's weights are random: deep maps of a random network amplify any noise, so only the first
    // layer (8-bit image, int8 kernel) is held to a figure; the trained model's figures are in bench:int8.
    const first = '/model.0/act/Mul_output_0';
    const fp32 = await run(readFileSync(file), input, first);
    const int8 = await run(result.bytes, input, first);
    let error = 0;
    let magnitude = 0;
    for (let i = 0; i < fp32.length; i++) {
      error += Math.abs((int8[i] as number) - (fp32[i] as number));
      magnitude += Math.abs(fp32[i] as number);
    }
    expect(error / magnitude).toBeLessThan(0.02);
    expect((await run(result.bytes, input)).every(Number.isFinite)).toBe(true);
  }, 60_000);

  it('keeps the DFL conv of the YOLOv8n export float (decode tail), and convs named by keepFloat', async () => {
    const model = await readOnnxModel(ultralyticsFixture('yolov8n.onnx'));
    const result = await quantizeOnnx(model, { images: images(1), sessions, method: 'minmax', keepFloat: ['decode-tail', '^/model\\.0/'] });
    expect(result.kept.map((k) => [k.node, k.reason])).toEqual([
      ['/model.0/conv/Conv', 'keepFloat /^\\/model\\.0\\//'],
      ['/model.22/dfl/conv/Conv', 'decode tail (runs on reshaped head rows)'],
    ]);
  }, 60_000);
});
