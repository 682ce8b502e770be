import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { useTempDir } from '@yolo-distill/core/testing';
import { ConfigLocation, EventBus, InlineConfigSource, ONNX_SESSIONS, RUN_INFO, RunFolder, SeededRng, type Logger, type Stage, type StageContext } from '@yolo-distill/core';
import { readOnnxModel } from '@yolo-distill/yolo';
import { exportOnnxStage } from './export-onnx-stage.js';
import type { ParityReport } from './parity/check-parity.js';
import { fixtureImageData, v8StyleModel } from './test-support/export-models.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'), ['stages', 2]);

describe('export.Onnx: config', () => {
  it('has defaults: opset 13, static batch, decoded head, no NMS, 4 parity images', () => {
    expect(exportOnnxStage.parse({}, at)).toEqual({ opset: 13, dynamic: false, raw: false, nms: false, parityImages: 4 });
    expect(exportOnnxStage.parse({ opset: 17, nms: { conf: 0.3 }, verify: true }, at)).toMatchObject({ opset: 17, nms: { conf: 0.3, iou: 0.45, maxDetections: 300, kind: 'onnx' }, verify: true });
    expect(exportOnnxStage.parse({ nms: { kind: 'trt', maxDetections: 100 } }, at)).toMatchObject({ nms: { kind: 'trt', maxDetections: 100, conf: 0.25 } });
  });

  it('refuses other opsets, raw with NMS and unknown keys, naming the place', () => {
    expect(() => exportOnnxStage.parse({ opset: 12 }, at)).toThrow(/stages\[2\]\.opset/);
    expect(() => exportOnnxStage.parse({ raw: true, nms: true }, at)).toThrow(/stages\[2\]\.nms: nms needs the decoded head; it cannot be combined with raw: true/);
    expect(() => exportOnnxStage.parse({ opsets: 13 }, at)).toThrow(/unknown key 'opsets'/);
    expect(() => exportOnnxStage.parse({ nms: { kind: 'batched' } }, at)).toThrow(/stages\[2\]\.nms\.kind/);
  });
});

describe('export.Onnx: a run', () => {
  const tempDir = useTempDir('export-stage');
  let dir = '';
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  beforeEach(() => (dir = tempDir()));

  it("writes <run>/export/<model>.onnx checked on the pipeline's images, with the pipeline's name in its metadata", async () => {
    const scope = container.createChildContainer();
    scope.registerInstance(ONNX_SESSIONS, new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 }));
    scope.registerInstance(RUN_INFO, { name: 'stage-spec', seed: 0, pipelineFile: 'p.yaml' });
    const stage = (await exportOnnxStage.create(exportOnnxStage.parse({ opset: 17, dynamic: true }, at), { container: scope, build: () => Promise.reject(new Error('no refs')) })) as Stage;
    const student = v8StyleModel();
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const context: StageContext = {
      index: 2,
      models: { student, data: fixtureImageData(['a', 'b'], 2) },
      rng: new SeededRng(0),
      events: new EventBus(),
      logger,
      folder: new RunFolder(dir),
      checkpoints: { save: () => Promise.reject(new Error('unused')), resumeFrom: undefined },
      signal: new AbortController().signal,
    };
    try {
      await stage.run(context);
      const file = join(dir, 'export', 'v8-style.onnx');
      expect(existsSync(file)).toBe(true);
      const report = JSON.parse(readFileSync(`${file}.parity.json`, 'utf8')) as ParityReport;
      expect(report.passed).toBe(true);
      expect(report.batch).toBe(2);
      const model = await readOnnxModel(file);
      expect(model.opset).toBe(17);
      expect(model.metadata['pipeline']).toBe('stage-spec');
      expect(lines.join('\n')).toMatch(/export\.Onnx: wrote .*v8-style\.onnx\nparity on 2 image\(s\), onnxruntime-node \(cpu\), batch 2:\n  output0 \[2, 6, 525\]: max\|ort-tfjs\| .* ok/);
    } finally {
      student.dispose();
    }
  });
});
