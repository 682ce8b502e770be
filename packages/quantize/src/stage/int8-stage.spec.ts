import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { readFixtureFloats, ultralyticsFixture, useTempDir } from '@yolo-distill/core/testing';
import { ConfigLocation, EventBus, InlineConfigSource, ONNX_SESSIONS, RunFolder, SeededRng, type DatasetSource, type Logger, type Stage, type StageContext } from '@yolo-distill/core';
import { readOnnxModel } from '@yolo-distill/yolo';
import { LEARNED_RANGES_FILE, LEARNED_RANGES_FORMAT } from '../fake-quant/learned-ranges-file.js';
import { int8Stage } from './int8-stage.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'), ['stages', 3]);

/** The fixture's 160 px image (HWC) and two darker copies: a dataset the upstream YOLOv5n export takes. */
function fixtureData(): DatasetSource {
  const nchw = readFixtureFloats('yolov5n.input.bin');
  const plane = 160 * 160;
  const sample = (k: number) => {
    const hwc = new Float32Array(3 * plane);
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) hwc[p * 3 + c] = (nchw[c * plane + p] as number) * (1 - 0.2 * k);
    return { image: { data: hwc, width: 160, height: 160 }, labels: { rows: new Float32Array(0), count: 0 }, source: `fixture-${k}` };
  };
  return { name: 'fixture', root: '', classNames: ['a'], imageSize: 160, prepare: async () => undefined, size: () => 3, sample: async (_split, i) => sample(i) };
}

describe('quantize.Int8: config', () => {
  it('defaults: minmax on 128 training images, asymmetric, decode tail float, calibrated ranges', () => {
    expect(int8Stage.parse({}, at)).toEqual({
      calibration: { method: 'minmax', images: 128, percentile: 99.99, split: 'train', bins: 2048 },
      symmetric: false,
      keepFloat: ['decode-tail'],
      ranges: 'calibrate',
      quantizeOutputs: false,
      compareImages: 4,
    });
  });

  it('names the place of a bad value', () => {
    expect(() => int8Stage.parse({ calibration: { method: 'kl' } }, at)).toThrow(/stages\[3\]\.calibration\.method/);
    expect(() => int8Stage.parse({ calibration: { percentile: 40 } }, at)).toThrow(/stages\[3\]\.calibration\.percentile/);
    expect(() => int8Stage.parse({ ranges: 'learned' }, at)).toThrow(/stages\[3\]\.ranges/);
    expect(() => int8Stage.parse({ rangesFile: 'r.json' }, at)).toThrow(/stages\[3\]\.rangesFile: rangesFile is read with ranges: fake-quant only/);
  });
});

describe('quantize.Int8: a run', () => {
  const tempDir = useTempDir('int8-stage');

  async function run(raw: Record<string, unknown>, dir: string): Promise<string[]> {
    const scope = container.createChildContainer();
    scope.registerInstance(ONNX_SESSIONS, new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 }));
    const stage = (await int8Stage.create(int8Stage.parse(raw, at), { container: scope, build: () => Promise.reject(new Error('no refs')) })) as Stage;
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const context: StageContext = {
      index: 3,
      models: { data: fixtureData() },
      rng: new SeededRng(0),
      events: new EventBus(),
      logger,
      folder: new RunFolder(dir),
      checkpoints: { save: () => Promise.reject(new Error('unused')), resumeFrom: undefined },
      signal: new AbortController().signal,
    };
    await stage.run(context);
    return lines;
  }

  it('writes the QDQ model and a report of every conv, sizes and the INT8-vs-FP32 comparison', async () => {
    const dir = tempDir();
    const out = join(dir, 'export', 'v5n.int8.onnx');
    const lines = await run({ onnx: ultralyticsFixture('yolov5n.onnx'), out, calibration: { method: 'minmax', images: 2 }, compareImages: 1 }, dir);
    expect(lines[0]).toMatch(/^quantize\.Int8: wrote .*v5n\.int8\.onnx \(60 conv\(s\) int8, 0 kept float; minmax on 2 image\(s\)\); 7\.54 MB -> 2\.03 MB; output0: mean/);
    expect((await readOnnxModel(out)).nodes.some((n) => n.opType === 'QuantizeLinear')).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'quantize-3.json'), 'utf8')) as { layers: { activation: { source: string } }[]; sizes: { int8: number } };
    expect(report.layers).toHaveLength(60);
    expect(report.sizes.int8).toBe(readFileSync(out).length);
  }, 60_000);

  it('takes the ranges quantize.FakeQuant learned, by kernel name, and calibrates the others', async () => {
    const dir = tempDir();
    await new RunFolder(dir).writeJson(LEARNED_RANGES_FILE, { format: LEARNED_RANGES_FORMAT, stage: '0-trainer.Distill', frozen: true, ranges: { 'model.0.conv.weight': { min: 0, max: 1 } } });
    const out = join(dir, 'q.onnx');
    await run({ onnx: ultralyticsFixture('yolov5n.onnx'), out, ranges: 'fake-quant', calibration: { method: 'minmax', images: 1 }, compareImages: 0 }, dir);
    const report = JSON.parse(readFileSync(join(dir, 'quantize-3.json'), 'utf8')) as { layers: { weight: string; activation: { source: string; scale: number; zeroPoint: number } }[] };
    const first = report.layers.find((l) => l.weight === 'model.0.conv.weight');
    expect(first?.activation).toMatchObject({ source: 'learned', scale: 1 / 255, zeroPoint: 0 });
    expect(report.layers.filter((l) => l.activation.source === 'calibrated')).toHaveLength(59);
  }, 60_000);

  it('says where the FP32 model and the learned ranges should come from', async () => {
    const dir = tempDir();
    await expect(run({ onnx: join(dir, 'missing.onnx') }, dir)).rejects.toThrow(/quantize\.Int8: .*missing\.onnx: file not found/);
    await expect(run({}, dir)).rejects.toThrow("quantize.Int8: no onnx: given and no student whose export to read");
    await expect(run({ onnx: ultralyticsFixture('yolov5n.onnx'), ranges: 'fake-quant' }, dir)).rejects.toThrow(/fake-quant-ranges\.json: no learned ranges \(a trainer\.Distill stage with 'transform: \{ type: quantize\.FakeQuant \}' writes them/);
    expect(existsSync(join(dir, 'export'))).toBe(false);
  });
});
