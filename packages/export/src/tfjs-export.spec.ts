import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { selectBackend } from '@yolo-distill/backend';
import { useTempDir } from '@yolo-distill/core/testing';
import type { DetectionModel, ModelGraph } from '@yolo-distill/core';
import type { YoloModel } from '@yolo-distill/yolo';
import type { ParityReport } from './parity/check-parity.js';
import { ParityError } from './parity/parity-error.js';
import { exportTfjsGraph, type TfjsExportRequest } from './tfjs-export.js';
import type { GraphModelJson } from './tfjs/graph-model-files.js';
import { graphModelFolder } from './tfjs/graph-model-files.js';
import { fixtureImageData, maxRelative, v5StyleModel, v8StyleModel } from './test-support/export-models.js';

const tempDir = useTempDir('tfjs-export');

let dir = '';
const models: Record<'v5' | 'v8', YoloModel> = {} as never;

beforeAll(async () => {
  await selectBackend('wasm');
  models.v5 = v5StyleModel();
  models.v8 = v8StyleModel();
});
afterAll(() => Object.values(models).forEach((model) => model.dispose()));
beforeEach(() => (dir = tempDir()));

const request = (out: string, extra: Partial<TfjsExportRequest> = {}): TfjsExportRequest => ({
  out,
  dynamic: false,
  output: 'decoded',
  parityImages: 4,
  provenance: { pipeline: 'spec', checkpointSha256: 'cd'.repeat(32) },
  ...extra,
});

const classNames = (model: DetectionModel) => Array.from({ length: model.numClasses }, (_, i) => `class ${i}`);

describe('exportTfjsGraph', () => {
  it.each([
    ['v5', [1, 1575, 8]],
    ['v8', [1, 6, 525]],
  ] as const)('%s-style: model.json + shards that tf.loadGraphModel runs to the tfjs decode, parity saved inside', async (kind, dims) => {
    const model = models[kind];
    const out = join(dir, `${kind}_web_model`);
    const data = fixtureImageData(classNames(model));
    // Small shards (64 KiB) so that weights span several files, as a full-size model's 4 MiB shards do.
    const result = await exportTfjsGraph(model, request(out, { shardBytes: 64 * 1024 }), { data });
    expect(result.report.passed).toBe(true);
    expect(result.report.runtime).toBe('tfjs graph model (wasm)');
    expect(result.report.outputs.map((o) => [o.name, o.dims])).toEqual([['output0', [4, ...dims.slice(1)]]]);
    expect(result.report.worst.relativeError).toBeLessThanOrEqual(1e-4);
    const saved = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as ParityReport;
    expect(saved.worst.maxAbsError).toBe(result.report.worst.maxAbsError);

    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as GraphModelJson;
    expect(json.format).toBe('graph-model');
    const shards = json.weightsManifest[0]?.paths ?? [];
    expect(shards.length).toBeGreaterThan(1);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'parity.json', ...shards].sort());
    const bytes = shards.map((name) => statSync(join(out, name)).size);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(64 * 1024);
    // Every weight's bytes are in the shards: 4 bytes per value.
    const values = json.weightsManifest[0]?.weights.reduce((sum, w) => sum + w.shape.reduce((p, d) => p * d, 1), 0) ?? 0;
    expect(bytes.reduce((a, b) => a + b, 0)).toBe(4 * values);
    const ops = json.modelTopology.node.map((node) => node.op);
    expect(ops).not.toContain('FusedBatchNormV3');
    expect(ops.filter((op) => op === '_FusedConv2D').length).toBe(model.graph().ops.filter((op) => op.op === 'conv').length);
    expect(json.userDefinedMetadata).toMatchObject({ task: 'detect', stride: '32', imgsz: '[160, 160]', pipeline: 'spec', source_sha256: 'cd'.repeat(32) });
    expect(json.signature.inputs['images']?.tensorShape.dim?.map((d) => Number(d.size))).toEqual([1, 160, 160, 3]);

    // A second, independent look: load the folder again and run one image beside the tfjs model.
    const graphModel = await loadGraphModel(graphModelFolder(out));
    const sample = await data.sample('val', 1);
    const images = tf.tensor4d(sample.image.data, [1, 160, 160, 3]);
    const fromGraph = graphModel.execute(images) as tf.Tensor;
    const output = model.forward(images, { training: false });
    const reference = model.decodeAsExported(output);
    expect(fromGraph.shape).toEqual(reference.shape);
    expect(maxRelative(fromGraph.dataSync(), reference.dataSync())).toBeLessThanOrEqual(1e-4);
    graphModel.dispose();
    tf.dispose([images, fromGraph, reference, ...output.head, ...Object.values(output.features)]);
  });

  it.each(['v5', 'v8'] as const)('%s-style: the raw head with a free batch (the four images in one run)', async (kind) => {
    const model = models[kind];
    const result = await exportTfjsGraph(model, request(join(dir, 'raw'), { dynamic: true, output: 'raw' }), { data: fixtureImageData(classNames(model)) });
    expect(result.report.batch).toBe(4);
    expect(result.report.outputs.map((o) => [o.name, o.dims])).toEqual(
      kind === 'v5'
        ? [['output0', [4, 3, 20, 20, 8]], ['output1', [4, 3, 10, 10, 8]], ['output2', [4, 3, 5, 5, 8]]]
        : [['output0', [4, 66, 525]]],
    );
    expect(result.report.passed).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'raw', 'model.json'), 'utf8')) as GraphModelJson;
    expect(json.signature.inputs['images']?.tensorShape.dim?.map((d) => Number(d.size))).toEqual([-1, 160, 160, 3]);
  });

  it('replaces an earlier export in place, and refuses to replace a folder that is not one', async () => {
    const out = join(dir, 'web');
    const data = fixtureImageData(classNames(models.v8), 1);
    await exportTfjsGraph(models.v8, request(out, { parityImages: 1 }), { data });
    writeFileSync(join(out, 'stale.bin'), 'x');
    await exportTfjsGraph(models.v8, request(out, { parityImages: 1 }), { data });
    expect(existsSync(join(out, 'stale.bin'))).toBe(false);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    const other = join(dir, 'photos');
    mkdirSync(other);
    writeFileSync(join(other, 'a.jpg'), 'x');
    await expect(exportTfjsGraph(models.v8, request(other), { data })).rejects.toThrow(/photos: exists and is not a TF\.js export folder \(no model\.json\); not replacing it/);
    expect(readdirSync(other)).toEqual(['a.jpg']);
    expect(readdirSync(dir).sort()).toEqual(['photos', 'web']);
  });

  it('fails a graph that differs from the model: names the worst output, leaves nothing behind', async () => {
    const model = models.v8;
    // The same model but the graph says ReLU after the last conv, where the model has none.
    const tampered: DetectionModel = Object.create(model, {
      graph: {
        value: (): ModelGraph => {
          const graph = model.graph();
          const last = graph.ops.map((op) => op.op).lastIndexOf('conv');
          return { ...graph, ops: graph.ops.map((op, i) => (i === last && op.op === 'conv' ? { ...op, activation: { kind: 'relu' as const } } : op)) };
        },
      },
    }) as DetectionModel;
    const out = join(dir, 'bad');
    const failure = exportTfjsGraph(tampered, request(out), { data: fixtureImageData(classNames(model)) });
    await expect(failure).rejects.toThrow(ParityError);
    await expect(failure).rejects.toThrow(/bad: parity check failed, not written: output 'output0': max\|graph-tfjs\| .* x max\|tfjs\|/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the io handler names a missing shard', async () => {
    const out = join(dir, 'web');
    await exportTfjsGraph(models.v5, request(out, { parityImages: 1 }), { data: fixtureImageData(classNames(models.v5), 1) });
    rmSync(join(out, 'group1-shard1of1.bin'));
    await expect(loadGraphModel(graphModelFolder(out))).rejects.toThrow(/web\/group1-shard1of1\.bin: cannot read the TF\.js model \(no such file\)/);
  });
});
