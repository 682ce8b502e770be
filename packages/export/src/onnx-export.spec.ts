import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { useTempDir } from '@yolo-distill/core/testing';
import type { DetectionModel, ModelGraph } from '@yolo-distill/core';
import { createOnnxTeacher, importOnnxModelWeights, onnx, readOnnxModel, type YoloModel } from '@yolo-distill/yolo';
import { upToPluginInputs } from './onnx/up-to-plugin-inputs.js';
import { DEFAULT_NMS } from './nms-defaults.js';
import { exportOnnx, type OnnxExportRequest } from './onnx-export.js';
import { ParityError } from './parity/parity-error.js';
import type { ParityReport } from './parity/check-parity.js';
import { fixtureImageData, maxRelative, v5StyleModel, v8StyleModel } from './test-support/export-models.js';

const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 });
const tempDir = useTempDir('export');
let dir = '';
const models: Record<'v5' | 'v8', YoloModel> = {} as never;

beforeAll(async () => {
  await selectBackend('wasm');
  models.v5 = v5StyleModel();
  models.v8 = v8StyleModel();
});
afterAll(() => Object.values(models).forEach((model) => model.dispose()));
beforeEach(() => (dir = tempDir()));

const request = (out: string, extra: Partial<OnnxExportRequest> = {}): OnnxExportRequest => ({
  out,
  opset: 13,
  dynamic: false,
  output: 'decoded',
  nms: DEFAULT_NMS,
  parityImages: 4,
  provenance: { pipeline: 'spec', checkpoint: '/runs/spec/checkpoints/00-train/stage-end', checkpointSha256: 'ab'.repeat(32) },
  ...extra,
});

const classNames = (model: DetectionModel) => Array.from({ length: model.numClasses }, (_, i) => `class ${i}`);

describe('exportOnnx', () => {
  it.each([
    ['v5', 13, [1, 1575, 8]],
    ['v8', 17, [1, 6, 525]],
  ] as const)('%s-style, opset %i: decoded output0 %j in the Ultralytics layout, BN folded, SiLU as Sigmoid * Mul, parity saved', async (kind, opset, dims) => {
    const model = models[kind];
    const out = join(dir, `${kind}.onnx`);
    const data = fixtureImageData(classNames(model));
    const result = await exportOnnx(model, request(out, { opset }), { data, sessions });
    expect(result.report.passed).toBe(true);
    expect(result.report.worst.relativeError).toBeLessThanOrEqual(1e-4);
    expect(result.report.images).toHaveLength(4);
    const saved = JSON.parse(readFileSync(`${out}.parity.json`, 'utf8')) as ParityReport;
    expect(saved.outputs.map((o) => o.name)).toEqual(['output0']);
    expect(saved.worst.maxAbsError).toBe(result.report.worst.maxAbsError);

    const file = await readOnnxModel(out);
    expect(file.opset).toBe(opset);
    expect(file.inputs.map((i) => [i.name, i.dims])).toEqual([['images', [1, 3, 160, 160]]]);
    expect(file.outputs.map((o) => [o.name, o.dims])).toEqual([['output0', dims]]);
    const ops = file.nodes.map((node) => node.opType);
    expect(ops).not.toContain('BatchNormalization');
    const convs = model.graph().ops.filter((op) => op.op === 'conv').length;
    expect(ops.filter((op) => op === 'Conv').length).toBe(convs + (kind === 'v8' ? 1 : 0)); // + the DFL conv
    expect(ops.filter((op) => op === 'Sigmoid').length).toBeGreaterThanOrEqual(convs - (kind === 'v5' ? 3 : 6));
    expect(file.metadata).toMatchObject({ task: 'detect', stride: '32', imgsz: '[160, 160]', names: kind === 'v5' ? "{0: 'class 0', 1: 'class 1', 2: 'class 2'}" : "{0: 'class 0', 1: 'class 1'}", pipeline: 'spec', source_sha256: 'ab'.repeat(32) });
    expect(file.metadata['weights_sha256']).toMatch(/^[0-9a-f]{64}$/);

    // A second, independent look: onnxruntime on the file against the tfjs decode.
    const session = await sessions.create(out);
    const sample = await data.sample('val', 1);
    const images = tf.tensor4d(sample.image.data, [1, 160, 160, 3]);
    const nchw = tf.transpose(images, [0, 3, 1, 2]);
    const ort = (await session.run({ images: { data: nchw.dataSync() as Float32Array, dims: [1, 3, 160, 160] } }))['output0'];
    await session.release();
    const output = model.forward(images, { training: false });
    const reference = model.decodeAsExported(output);
    expect(ort?.dims).toEqual(reference.shape);
    expect(maxRelative(ort?.data ?? [], reference.dataSync())).toBeLessThanOrEqual(1e-4);
    tf.dispose([images, nchw, reference, ...output.head]);
  });

  it.each(['v5', 'v8'] as const)('%s-style: the raw head with a dynamic batch (the four images in one run)', async (kind) => {
    const model = models[kind];
    const out = join(dir, `${kind}-raw.onnx`);
    const result = await exportOnnx(model, request(out, { opset: 17, dynamic: true, output: 'raw' }), { data: fixtureImageData(classNames(model)), sessions });
    expect(result.report.batch).toBe(4);
    expect(result.report.outputs.map((o) => [o.name, o.dims])).toEqual(
      kind === 'v5'
        ? [['output0', [4, 3, 20, 20, 8]], ['output1', [4, 3, 10, 10, 8]], ['output2', [4, 3, 5, 5, 8]]]
        : [['output0', [4, 66, 525]]],
    );
    expect(result.report.passed).toBe(true);
    const file = await readOnnxModel(out);
    expect(file.inputs[0]?.dims).toEqual(['batch', 3, 160, 160]);
  });

  it.each(['v5', 'v8'] as const)('%s-style: NonMaxSuppression in the graph gives the rows the project\'s NMS keeps', async (kind) => {
    const model = models[kind];
    const out = join(dir, `${kind}-nms.onnx`);
    // Random weights score low everywhere: the threshold is the 90th percentile of the boxes' best scores.
    const data = fixtureImageData(classNames(model));
    const sample = await data.sample('val', 0);
    const best = tf.tidy(() => {
      const decoded = model.decode(model.forward(tf.tensor4d(sample.image.data, [1, 160, 160, 3]), { training: false }));
      return Array.from(tf.max(tf.slice(decoded, [0, 0, 4], [-1, -1, -1]), 2).dataSync()).sort((a, b) => a - b);
    });
    const nms = { confThreshold: best[Math.floor(best.length * 0.9)] as number, iouThreshold: 0.45, maxDetections: 300 };
    const result = await exportOnnx(model, request(out, { dynamic: true, output: 'nms', nms }), { data, sessions });
    const detections = result.report.outputs.find((o) => o.name === 'detections');
    expect(detections?.passed).toBe(true);
    expect(detections?.dims[0]).toBeGreaterThan(4);
    expect(result.report.outputs).toHaveLength(2); // and the decoded tensor before the NMS
    expect(result.report.passed).toBe(true);
  });

  it.each([
    ['v5', false, 1575, 3],
    ['v8', true, 525, 2],
  ] as const)("%s-style: TensorRT's EfficientNMS_TRT (dynamic %s): the plugin node as TensorRT's parser reads it, its inputs checked in onnxruntime", async (kind, dynamic, n, nc) => {
    const model = models[kind];
    const out = join(dir, `${kind}-trt.onnx`);
    const data = fixtureImageData(classNames(model));
    const nms = { confThreshold: 0.3, iouThreshold: 0.5, maxDetections: 100 };
    const result = await exportOnnx(model, request(out, { dynamic, output: 'efficient-nms', nms }), { data, sessions });
    const b = dynamic ? 'batch' : 1;
    expect(result.report.passed).toBe(true);
    expect(result.report.outputs.map((o) => [o.name, o.dims])).toEqual([['boxes', [4, n, 4]], ['scores', [4, n, nc]]]);
    expect(result.report.note).toMatch(/num_dets, det_boxes, det_scores, det_classes come from a TensorRT plugin that onnxruntime cannot run: checked the graph up to its inputs \(boxes, scores\)/);

    const file = await readOnnxModel(out);
    expect(file.opsets).toEqual({ '': 13, TRT: 1 });
    const plugins = file.nodes.filter((node) => node.opType === 'EfficientNMS_TRT');
    expect(plugins).toHaveLength(1);
    const plugin = plugins[0] as (typeof plugins)[number];
    expect([plugin.domain, plugin.inputs, plugin.outputs]).toEqual(['TRT', ['boxes', 'scores'], ['num_dets', 'det_boxes', 'det_scores', 'det_classes']]);
    expect(plugin.attributes).toEqual({ background_class: -1, box_coding: 1, iou_threshold: expect.closeTo(0.5, 6), max_output_boxes: 100, plugin_version: '1', score_activation: 0, score_threshold: expect.closeTo(0.3, 6) });
    // The attribute types TensorRT's plugin creator checks: int32 fields INT, thresholds FLOAT, the version STRING.
    const types = Object.fromEntries((file.proto.graph?.node?.find((node) => node.opType === 'EfficientNMS_TRT')?.attribute ?? []).map((a) => [a.name, onnx.AttributeProto.AttributeType[a.type as number]]));
    expect(types).toEqual({ background_class: 'INT', box_coding: 'INT', iou_threshold: 'FLOAT', max_output_boxes: 'INT', plugin_version: 'STRING', score_activation: 'INT', score_threshold: 'FLOAT' });
    expect(file.outputs.map((o) => [o.name, o.elemType, o.dims])).toEqual([
      ['num_dets', 'int32', [b, 1]],
      ['det_boxes', 'float32', [b, 100, 4]],
      ['det_scores', 'float32', [b, 100]],
      ['det_classes', 'int32', [b, 100]],
    ]);
    const shapes = Object.fromEntries((file.proto.graph?.valueInfo ?? []).map((v) => [v.name, v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))]));
    expect([shapes['boxes'], shapes['scores']]).toEqual([[b, n, 4], [b, n, nc]]);

    // Independently: the written graph up to the plugin, in onnxruntime, against the tfjs model's decode.
    const session = await sessions.create(upToPluginInputs(file, ['boxes', 'scores']));
    const sample = await data.sample('val', 3);
    const images = tf.tensor4d(sample.image.data, [1, 160, 160, 3]);
    const nchw = tf.transpose(images, [0, 3, 1, 2]);
    const ort = await session.run({ images: { data: nchw.dataSync() as Float32Array, dims: [1, 3, 160, 160] } });
    await session.release();
    const output = model.forward(images, { training: false });
    const decoded = model.decode(output);
    const boxes = tf.slice(decoded, [0, 0, 0], [1, n, 4]);
    const scores = tf.slice(decoded, [0, 0, 4], [1, n, nc]);
    expect(ort['boxes']?.dims).toEqual([1, n, 4]);
    expect(ort['scores']?.dims).toEqual([1, n, nc]);
    expect(maxRelative(ort['boxes']?.data ?? [], boxes.dataSync())).toBeLessThanOrEqual(1e-4);
    expect(maxRelative(ort['scores']?.data ?? [], scores.dataSync())).toBeLessThanOrEqual(1e-4);
    tf.dispose([images, nchw, decoded, boxes, scores, ...output.head, ...Object.values(output.features)]);
  });

  it('fails a graph that differs from the model: names the worst output, leaves no file behind', async () => {
    const model = models.v5;
    // The same model but the graph says ReLU after the last head conv, where the model has none.
    const tampered: DetectionModel = Object.create(model, {
      graph: {
        value: (): ModelGraph => {
          const graph = model.graph();
          const last = graph.ops.length - 1;
          const ops = graph.ops.map((op, i) => (i === last && op.op === 'conv' ? { ...op, activation: { kind: 'relu' as const } } : op));
          return { ...graph, ops };
        },
      },
    }) as DetectionModel;
    const out = join(dir, 'bad.onnx');
    const failure = exportOnnx(tampered, request(out), { data: fixtureImageData(classNames(model)), sessions });
    await expect(failure).rejects.toThrow(ParityError);
    await expect(failure).rejects.toThrow(/bad\.onnx: parity check failed, not written: output 'output0': max\|ort-tfjs\| .* x max\|tfjs\|/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a class list that does not fit the model, before writing anything', async () => {
    await expect(exportOnnx(models.v8, request(join(dir, 'x.onnx')), { data: fixtureImageData(['only one']), sessions })).rejects.toThrow(/v8-style has 2 classes but the data fixture-image names 1/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('round trip through the project\'s own ONNX import', () => {
  it.each(['v5', 'v8'] as const)('%s-style: weights imported from the export compute what the model computes; onnx.Teacher runs it', async (kind) => {
    const model = models[kind];
    const out = join(dir, `${kind}.onnx`);
    const data = fixtureImageData(classNames(model));
    await exportOnnx(model, request(out), { data, sessions });
    const fresh = kind === 'v5' ? v5StyleModel() : v8StyleModel();
    const teacher = await createOnnxTeacher(out, sessions);
    try {
      const report = importOnnxModelWeights(fresh, await readOnnxModel(out));
      expect(report.fused).toBe(true);
      const sample = await data.sample('val', 2);
      const images = tf.tensor4d(sample.image.data, [1, 160, 160, 3]);
      const [a, b, c] = [model.forward(images, { training: false }), fresh.forward(images, { training: false }), await teacher.forward(images, [])];
      expect([teacher.headKind, teacher.numClasses]).toEqual([model.headKind, model.numClasses]);
      a.head.forEach((map, level) => {
        expect(maxRelative(b.head[level]?.dataSync() ?? [], map.dataSync()), `import, level ${level}`).toBeLessThanOrEqual(1e-4);
        expect(maxRelative(c.head[level]?.dataSync() ?? [], map.dataSync()), `teacher, level ${level}`).toBeLessThanOrEqual(1e-4);
      });
      const [fromModel, fromTeacher] = [model.decode(a), teacher.decode?.(c)];
      expect(fromTeacher?.shape).toEqual(fromModel.shape);
      expect(maxRelative(fromTeacher?.dataSync() ?? [], fromModel.dataSync())).toBeLessThanOrEqual(1e-4);
      tf.dispose([images, fromModel, fromTeacher, ...a.head, ...b.head, ...c.head]);
    } finally {
      fresh.dispose();
      teacher.dispose();
    }
  });
});
