import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PluginRegistry } from '@yolo-distill/core';
import { readOnnxModel } from '@yolo-distill/yolo';
import { loadTfjsExport, type GraphModelJson, type ParityReport } from '@yolo-distill/export';
import { builtinPlugins } from './builtin-plugins.js';
import { openTrainedModel } from './models/trained-model.js';
import { runCli } from './cli.js';
import type { CliIO } from './cli-io.js';
import { trainStudent, type StudentKind } from './test-support/trained-students.js';

// Students trained a few steps on shapes, exported through the command and checked as the issue asks.
let dir = '';
let out = '';
let err = '';
const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {} };
const runs: Record<StudentKind, string> = { v5: '', v8: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yd-export-cli-'));
  runs.v5 = await trainStudent(dir, 'v5', io);
  runs.v8 = await trainStudent(dir, 'v8', io);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  out = '';
  err = '';
});

const figures = /output0 \[\d+(, \d+)+\]: max\|ort-tfjs\| ([\d.e+-]+), max\|tfjs\| [\d.e+-]+, ratio ([\d.e+-]+) ok/;

describe('yolo-distill export', () => {
  it.each([
    ['v5', '13', [1, 252, 11], 'anchor-based'],
    ['v5', '17', [1, 252, 11], 'anchor-based'],
    ['v8', '13', [1, 10, 84], 'anchor-free'],
    ['v8', '17', [1, 10, 84], 'anchor-free'],
  ] as const)('%s: a run folder to ONNX opset %s, decoded in the graph, parity printed and saved', async (kind, opset, dims, head) => {
    const file = join(dir, `${kind}-${opset}.onnx`);
    expect(await runCli(['export', runs[kind], '--format', 'onnx', '--opset', opset, '--out', file], { io }), err).toBe(0);
    expect(out).toMatch(figures);
    expect(out).toContain(`wrote ${file} (opset ${opset}, static batch)`);
    const report = JSON.parse(readFileSync(`${file}.parity.json`, 'utf8')) as ParityReport;
    expect(report.passed).toBe(true);
    expect(report.images).toHaveLength(4);
    expect(report.worst.relativeError).toBeLessThanOrEqual(1e-4);
    const model = await readOnnxModel(file);
    expect(model.opset).toBe(Number(opset));
    expect(model.outputs[0]?.dims).toEqual(dims);
    const checkpoint = join(runs[kind], 'checkpoints', '00-train', 'stage-end');
    expect(model.metadata).toMatchObject({ pipeline: kind, head, imgsz: '[64, 64]', stride: '32', source_checkpoint: checkpoint });
    expect(model.metadata['source_sha256']).toBe(createHash('sha256').update(readFileSync(join(checkpoint, 'tensors.bin'))).digest('hex'));
    expect(model.metadata['names']).toMatch(/^\{0: '\w+', 1: '\w+'/);
  }, 120_000);

  it.each(['v5', 'v8'] as const)('%s: a checkpoint folder to the raw head with a dynamic batch, and with NMS in the graph', async (kind) => {
    const checkpoint = join(runs[kind], 'checkpoints', '00-train', 'stage-end');
    // Each head kind at both opsets: raw at one, NMS at the other.
    const [rawOpset, nmsOpset] = kind === 'v5' ? ['13', '17'] : ['17', '13'];
    const raw = join(dir, `${kind}-raw.onnx`);
    expect(await runCli(['export', checkpoint, '--raw', '--dynamic', '--opset', rawOpset, '--out', raw], { io }), err).toBe(0);
    const rawModel = await readOnnxModel(raw);
    expect([rawModel.opset, rawModel.inputs[0]?.dims]).toEqual([Number(rawOpset), ['batch', 3, 64, 64]]);
    const nms = join(dir, `${kind}-nms.onnx`);
    expect(await runCli(['export', checkpoint, '--nms', '--conf', '0.001', '--opset', nmsOpset, '--out', nms], { io }), err).toBe(0);
    expect((await readOnnxModel(nms)).opset).toBe(Number(nmsOpset));
    expect(out).toMatch(/detections \[\d+, 7\]: max\|ort-tfjs\| [\d.e+-]+, max\|tfjs\| [\d.e+-]+, ratio [\d.e+-]+ ok/);
    const report = JSON.parse(readFileSync(`${nms}.parity.json`, 'utf8')) as ParityReport;
    expect(report.outputs.find((o) => o.name === 'detections')?.dims[0]).toBeGreaterThan(0);
  }, 120_000);

  it.each([
    ['v5', [1, 252, 11]],
    ['v8', [1, 10, 84]],
  ] as const)('%s: a run folder to a TF.js graph model that tf.loadGraphModel runs to the tfjs model on shapes images', async (kind, dims) => {
    const folder = join(dir, `${kind}_web_model`);
    expect(await runCli(['export', runs[kind], '--format', 'tfjs', '--out', folder], { io }), err).toBe(0);
    expect(out).toMatch(/parity on 4 image\(s\), tfjs graph model \(wasm\), batch 1:\n  output0 \[4, \d+, \d+\]: max\|graph-tfjs\| [\d.e+-]+, max\|tfjs\| [\d.e+-]+, ratio [\d.e+-]+ ok/);
    const shards = Number(/TF\.js graph model: (\d+) weight shard\(s\), static batch/.exec(out)?.[1]);
    expect(out).toContain(`wrote ${folder} (TF.js graph model: ${shards} weight shard(s), static batch)`);
    // A nano model is several MB: 4 MiB shards, every one full but the last.
    const sizes = Array.from({ length: shards }, (_, i) => statSync(join(folder, `group1-shard${i + 1}of${shards}.bin`)).size);
    expect(shards).toBeGreaterThan(1);
    expect(sizes.slice(0, -1).every((size) => size === 4 * 1024 * 1024)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(4 * 1024 * 1024);
    const report = JSON.parse(readFileSync(join(folder, 'parity.json'), 'utf8')) as ParityReport;
    expect(report.passed).toBe(true);
    expect(report.images.every((image) => image.includes(join('shapes', 'images', 'val')))).toBe(true);
    expect(report.worst.relativeError).toBeLessThanOrEqual(1e-4);
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as GraphModelJson;
    expect(json.userDefinedMetadata).toMatchObject({ pipeline: kind, imgsz: '[64, 64]' });

    // Independently: the folder loaded again, every val image, against the trained checkpoint rebuilt.
    const trained = await openTrainedModel(runs[kind], new PluginRegistry(builtinPlugins()), io);
    const graphModel = await loadTfjsExport(folder);
    try {
      await trained.data.prepare();
      expect(trained.data.size('val')).toBe(4);
      for (let i = 0; i < trained.data.size('val'); i++) {
        const sample = await trained.data.sample('val', i);
        const images = tf.tensor4d(sample.image.data, [1, sample.image.height, sample.image.width, 3]);
        const fromGraph = graphModel.execute(images) as tf.Tensor;
        const output = trained.model.forward(images, { training: false });
        const reference = trained.model.decodeAsExported?.(output) as tf.Tensor;
        expect(fromGraph.shape).toEqual(dims);
        const [g, r] = [fromGraph.dataSync(), reference.dataSync()];
        let [diff, scale] = [0, 0];
        r.forEach((value, k) => ([diff, scale] = [Math.max(diff, Math.abs((g[k] as number) - value)), Math.max(scale, Math.abs(value))]));
        expect(diff / scale, sample.source).toBeLessThanOrEqual(1e-4);
        tf.dispose([images, fromGraph, reference, ...output.head, ...Object.values(output.features)]);
      }
    } finally {
      graphModel.dispose();
      trained.dispose();
    }
  }, 120_000);

  it.each(['v5', 'v8'] as const)("%s: --nms trt writes TensorRT's EfficientNMS_TRT and checks the graph up to it", async (kind) => {
    const file = join(dir, `${kind}-trt.onnx`);
    expect(await runCli(['export', runs[kind], '--nms', 'trt', '--conf', '0.2', '--out', file], { io }), err).toBe(0);
    expect(out).toMatch(/  boxes \[4, \d+, 4\]: max\|ort-tfjs\| [\d.e+-]+, max\|tfjs\| [\d.e+-]+, ratio [\d.e+-]+ ok\n  scores \[4, \d+, 6\]: .* ok\n  \(num_dets, det_boxes, det_scores, det_classes come from a TensorRT plugin/);
    const model = await readOnnxModel(file);
    const plugin = model.nodes.find((node) => node.opType === 'EfficientNMS_TRT');
    expect(plugin?.domain).toBe('TRT');
    expect(plugin?.attributes['score_threshold']).toBeCloseTo(0.2, 6);
    expect(model.outputs.map((o) => o.name)).toEqual(['num_dets', 'det_boxes', 'det_scores', 'det_classes']);
  }, 120_000);

  it('writes beside the run by default, and the export goes back in as weights and as an onnx.Teacher', async () => {
    expect(await runCli(['export', runs.v5], { io }), err).toBe(0);
    const file = join(runs.v5, 'export', 'yolov5n.onnx');
    expect(existsSync(file)).toBe(true);
    const pipeline = join(dir, 'round-trip.yaml');
    writeFileSync(
      pipeline,
      `name: round-trip
backend: wasm
runs: ${join(dir, 'runs')}
data: { type: data.Shapes, root: ${join(dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 3 }
teacher: { type: onnx.Teacher, file: ${file} }
student: { type: yolov5.Model, scale: n, weights: ${file} }
stages:
  - name: distill
    type: trainer.Distill
    epochs: 1
    batch: 4
    losses:
      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0 }
`,
    );
    expect(await runCli(['validate', pipeline], { io }), err).toBe(0);
    expect(out).toMatch(/dry run of distill: /);
  }, 120_000);

  it('reports bad input with exit code 2 and what is wrong; writes nothing', async () => {
    expect(await runCli(['export', join(dir, 'nowhere')], { io })).toBe(2);
    expect(err).toContain(`${join(dir, 'nowhere')}: not found (expected a checkpoint folder or a run folder)`);
    err = '';
    expect(await runCli(['export', join(dir, 'shapes')], { io })).toBe(2);
    expect(err).toMatch(/shapes: neither a checkpoint folder \(meta\.json \+ tensors\.bin\) nor a run folder \(config\.resolved\.yaml\)/);
    err = '';
    expect(await runCli(['export', runs.v8, '--opset', '12', '--out', join(dir, 'x.onnx')], { io })).toBe(2);
    expect(err).toContain("--opset expects 13 or 17, got '12'");
    err = '';
    expect(await runCli(['export', runs.v8, '--raw', '--nms'], { io })).toBe(2);
    expect(err).toContain('--raw and --nms exclude each other');
    err = '';
    expect(await runCli(['export', runs.v8, '--nms', 'batched'], { io })).toBe(2);
    expect(err).toContain("--nms takes onnx or trt (ONNX NonMaxSuppression or TensorRT's EfficientNMS_TRT), got 'batched'");
    err = '';
    expect(await runCli(['export', runs.v8, '--format', 'tfjs', '--nms'], { io })).toBe(2);
    expect(err).toContain('--nms is an option of the ONNX export');
    err = '';
    expect(await runCli(['export', runs.v8, '--format', 'tflite'], { io })).toBe(2);
    expect(err).toContain("--format must be one of onnx, tfjs, tensorrt, npu, got 'tflite'");
    expect(readdirSync(dir).filter((name) => name.startsWith('x.onnx'))).toEqual([]);
  });
});
