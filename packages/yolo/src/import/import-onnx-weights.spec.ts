import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { TINY_V5_YAML, TINY_V8_YAML } from '../model/tiny-models.test.js';
import { YoloModel } from '../model/yolo-model.js';
import { BN_EPS } from '../modules/batch-norm.js';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { parseOnnxModel } from '../onnx/onnx-model.js';
import { OnnxModelBuilder } from '../onnx/onnx-writer.js';
import { parseModelYaml } from '../yaml/model-yaml.js';
import { importOnnxModelWeights, importOnnxWeights } from './import-onnx-weights.js';
import { relativeMaxError } from '@yolo-distill/core/testing';

const tinyV5 = (seed: number) => new YoloModel(parseModelYaml(TINY_V5_YAML, 'tiny-v5.yaml', { modules: YOLOV5_MODULES }), { name: 'tiny-v5', seed });
const tinyV8 = (seed: number) => new YoloModel(parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale: 'n' }), { name: 'tiny-v8', seed });

/** A parameter as PyTorch holds it: conv kernels OIHW. */
async function torchValue(model: YoloModel, name: string): Promise<{ dims: number[]; data: Float32Array }> {
  const parameter = model.parameters().find((p) => p.name === name)!;
  const value = parameter.layout === 'conv' ? tf.transpose(parameter.variable, [3, 2, 0, 1]) : tf.clone(parameter.variable);
  const data = (await value.data()) as Float32Array;
  value.dispose();
  return { dims: [...parameter.torchShape], data };
}

/**
 * What Ultralytics' exports hold for a model: nofuse = conv weights and BN tensors by state-dict name;
 * fused = each conv with its BN folded in (w * g / sqrt(v + eps), b = beta - mean * g / sqrt(v + eps)).
 */
async function exportOf(model: YoloModel, kind: 'fused' | 'nofuse', edit: (name: string, value: { dims: number[]; data: Float32Array }) => { dims: number[]; data: Float32Array } | undefined = (_n, v) => v): Promise<Map<string, { dims: number[]; data: Float32Array }>> {
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  const names = model.parameters().map((p) => p.name);
  for (const name of names) {
    const bn = /^(.*)\.bn\.(weight|bias|running_mean|running_var)$/.exec(name);
    if (kind === 'fused' && bn) continue;
    let value = await torchValue(model, name);
    const prefix = name.replace(/\.conv\.weight$/, '');
    if (kind === 'fused' && name.endsWith('.conv.weight') && names.includes(`${prefix}.bn.weight`)) {
      const [g, b, m, v] = await Promise.all(['weight', 'bias', 'running_mean', 'running_var'].map((f) => torchValue(model, `${prefix}.bn.${f}`)));
      const scale = g!.data.map((gamma, c) => gamma / Math.sqrt(v!.data[c]! + BN_EPS));
      const perOut = value.data.length / scale.length;
      value = { dims: value.dims, data: value.data.map((w, i) => w * scale[Math.floor(i / perOut)]!) };
      const bias = { dims: [scale.length], data: b!.data.map((beta, c) => beta - m!.data[c]! * scale[c]!) };
      const editedBias = edit(`${prefix}.conv.bias`, bias);
      if (editedBias) out.set(`${prefix}.conv.bias`, editedBias);
    }
    const edited = edit(name, value);
    if (edited) out.set(name, edited);
  }
  return out;
}

function encode(initializers: Map<string, { dims: number[]; data: Float32Array }>, aliases: Record<string, string> = {}, metadata: Record<string, string> = {}): Uint8Array {
  const builder = new OnnxModelBuilder({ opset: 12, producerName: 'pytorch' }).input('images', [1, 3, 32, 32]).metadata(metadata);
  for (const [name, { dims, data }] of initializers) builder.initializer(name, data, dims);
  for (const [alias, source] of Object.entries(aliases)) builder.node('Identity', [source], [alias]);
  return builder.encode();
}

/** Non-trivial BN statistics, as a trained model has. */
function randomiseBatchNorms(model: YoloModel): void {
  let seed = 10;
  tf.tidy(() => {
    for (const p of model.parameters()) {
      const field = /\.bn\.(weight|bias|running_mean|running_var)$/.exec(p.name)?.[1];
      if (!field) continue;
      const [lo, hi] = { weight: [0.5, 1.5], bias: [-0.25, 0.25], running_mean: [-0.5, 0.5], running_var: [0.2, 2] }[field as 'weight']!;
      p.variable.assign(tf.randomUniform(p.variable.shape, lo, hi, 'float32', seed++));
    }
  });
}

async function outputs(model: YoloModel): Promise<Float32Array> {
  const x = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 77) as tf.Tensor4D;
  const decoded = tf.tidy(() => tf.concat(model.forward(x, { training: false, taps: ['neck.0'] }).head.map((h) => tf.reshape(h, [-1]))));
  const data = (await decoded.data()) as Float32Array;
  tf.dispose([x, decoded]);
  return data;
}

describe('importOnnxWeights', () => {
  let source: YoloModel;
  beforeAll(async () => {
    await selectBackend('cpu');
    source = tinyV5(1);
    randomiseBatchNorms(source);
  });
  afterAll(() => source.dispose());

  it('loads a nofuse export (conv + BatchNormalization) exactly, kernels OIHW -> HWIO', async () => {
    const target = tinyV5(2);
    expect(relativeMaxError(await outputs(target), await outputs(source))).toBeGreaterThan(0.01);
    const report = importOnnxModelWeights(target, parseOnnxModel(encode(await exportOf(source, 'nofuse')), 'tiny.nofuse.onnx'));
    expect(report).toEqual({ file: 'tiny.nofuse.onnx', fused: false, loaded: target.parameters().length, fusedBatchNorms: 0, foldedParameters: 0 });
    expect(await outputs(target)).toEqual(await outputs(source));
    target.dispose();
  });

  it('loads a fused export (conv with bias, no BN) with each BN as identity: gamma 1, beta = bias, mean 0, var 1 - eps', async () => {
    const target = tinyV5(2);
    const report = importOnnxModelWeights(target, parseOnnxModel(encode(await exportOf(source, 'fused')), 'tiny.onnx'));
    const batchNorms = target.parameters().filter((p) => p.name.endsWith('.bn.weight')).length;
    expect(report).toEqual({ file: 'tiny.onnx', fused: true, loaded: target.parameters().length, fusedBatchNorms: batchNorms, foldedParameters: 0 });
    expect(relativeMaxError(await outputs(target), await outputs(source))).toBeLessThan(1e-5);
    const weights = target.getWeights();
    expect(Array.from(await weights['model.3.bn.weight']!.data())).toEqual(Array(64).fill(1));
    expect(Array.from(await weights['model.3.bn.running_mean']!.data())).toEqual(Array(64).fill(0));
    expect((await weights['model.3.bn.running_var']!.data())[0]).toBeCloseTo(1 - BN_EPS, 7);
    const bias = await torchValue(target, 'model.3.bn.bias');
    const file = await exportOf(source, 'fused');
    expect(Array.from(bias.data)).toEqual(Array.from(file.get('model.3.conv.bias')!.data));
    target.dispose();
  });

  it('follows Identity aliases (torch shares initializers with equal values that way)', async () => {
    const target = tinyV5(2);
    const file = await exportOf(source, 'nofuse');
    const shared = file.get('model.10.m.0.bias')!;
    file.set('model.10.m.1.bias', { dims: [21], data: shared.data });
    const aliased = new Map([...file].filter(([name]) => name !== 'model.10.m.1.bias'));
    importOnnxModelWeights(target, parseOnnxModel(encode(aliased, { 'model.10.m.1.bias': 'model.10.m.0.bias' }), 'aliased.onnx'));
    expect(Array.from(await target.getWeights()['model.10.m.1.bias']!.data())).toEqual(Array.from(shared.data));
    target.dispose();
  });

  it('names the file and the parameter when an initializer is missing, and changes nothing', async () => {
    const target = tinyV5(2);
    const before = await outputs(target);
    const file = await exportOf(source, 'nofuse', (name, value) => (name === 'model.3.conv.weight' ? undefined : value));
    expect(() => importOnnxModelWeights(target, parseOnnxModel(encode(file), 'tiny.onnx'))).toThrow("tiny.onnx: no initializer 'model.3.conv.weight' for tiny-v5");
    const noBn = await exportOf(source, 'nofuse', (name, value) => (name.startsWith('model.5.bn.') ? undefined : value));
    expect(() => importOnnxModelWeights(target, parseOnnxModel(encode(noBn), 'tiny.onnx'))).toThrow(
      "tiny.onnx: no initializer 'model.5.bn.weight (or, for a fused export, model.5.conv.bias)' for tiny-v5",
    );
    expect(await outputs(target)).toEqual(before);
    target.dispose();
  });

  it('names the file, the parameter and both shapes when a shape differs', async () => {
    const target = tinyV5(2);
    const file = await exportOf(source, 'nofuse', (name, value) => (name === 'model.9.cv2.conv.weight' ? { dims: [32, 96, 1, 1], data: value.data.slice(0, 32 * 96) } : value));
    expect(() => importOnnxModelWeights(target, parseOnnxModel(encode(file), 'tiny.onnx'))).toThrow(
      'tiny.onnx: model.9.cv2.conv.weight: the model expects [32, 192, 1, 1], the file has [32, 96, 1, 1]',
    );
    target.dispose();
  });

  it('recognises a file of another architecture by its names, and says so', async () => {
    const v8 = tinyV8(1);
    const target = tinyV5(2);
    const file = encode(await exportOf(v8, 'fused'), {}, { description: 'Ultralytics YOLOv8n model ' });
    expect(() => importOnnxModelWeights(target, parseOnnxModel(file, 'yolov8-tiny.onnx'))).toThrow(
      'yolov8-tiny.onnx does not hold the weights of tiny-v5 (anchor-based head, 2 classes): ' +
        '36 of its 119 parameters are missing (model.2.cv3.conv.weight, model.2.cv3.bn.weight (or, for a fused export, model.2.cv3.conv.bias), model.4.cv1.conv.weight, model.4.cv1.bn.weight (or, for a fused export, model.4.cv1.conv.bias), ...); ' +
        '39 initializers of the file are not parameters of tiny-v5 (model.4.conv.bias, model.4.conv.weight, model.5.cv1.conv.bias, model.5.cv1.conv.weight, ...); ' +
        '6 shapes differ (model.0.conv.weight: the model expects [16, 3, 6, 6], the file has [16, 3, 3, 3]; model.2.cv1.conv.weight: the model expects [16, 32, 1, 1], the file has [32, 32, 1, 1]; ...). ' +
        "The file describes itself as 'Ultralytics YOLOv8n model'. Is it an export of another YOLO version, scale or class count?",
    );
    v8.dispose();
    target.dispose();
  });

  it('reads files from disk; a file that is not ONNX fails naming it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'onnx-import-'));
    try {
      const good = join(folder, 'tiny.onnx');
      await writeFile(good, encode(await exportOf(source, 'nofuse')));
      const target = tinyV5(2);
      expect((await importOnnxWeights(target, good)).file).toBe(good);
      target.dispose();
      const bad = join(folder, 'weights.onnx');
      await writeFile(bad, 'this is not a protobuf at all, just text\n');
      await expect(importOnnxWeights(tinyV5(3), bad)).rejects.toThrow(bad);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
