import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import { useTempDir } from '@yolo-distill/core/testing';
import { ConfigLocation, EventBus, InlineConfigSource, RUN_INFO, RunFolder, SeededRng, type Logger, type Stage, type StageContext } from '@yolo-distill/core';
import { exportTfjsStage } from './export-tfjs-stage.js';
import type { ParityReport } from './parity/check-parity.js';
import type { GraphModelJson } from './tfjs/graph-model-files.js';
import { fixtureImageData, v5StyleModel } from './test-support/export-models.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'), ['stages', 3]);

describe('export.TfjsGraph: config', () => {
  it('has defaults: static batch, decoded head, 4 parity images', () => {
    expect(exportTfjsStage.parse({}, at)).toEqual({ dynamic: false, raw: false, parityImages: 4 });
    expect(exportTfjsStage.parse({ raw: true, out: 'web', verify: true }, at)).toEqual({ dynamic: false, raw: true, out: 'web', parityImages: 4, verify: true });
  });

  it('refuses unknown keys and bad values, naming the place', () => {
    expect(() => exportTfjsStage.parse({ opset: 13 }, at)).toThrow(/unknown key 'opset'/);
    expect(() => exportTfjsStage.parse({ parityImages: 0 }, at)).toThrow(/stages\[3\]\.parityImages/);
  });
});

describe('export.TfjsGraph: a run', () => {
  const tempDir = useTempDir('tfjs-stage');
  let dir = '';
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  beforeEach(() => (dir = tempDir()));

  it("writes <run>/export/<model>_web_model checked on the pipeline's images, with the pipeline's name in its metadata", async () => {
    const scope = container.createChildContainer();
    scope.registerInstance(RUN_INFO, { name: 'tfjs-stage-spec', seed: 0, pipelineFile: 'p.yaml' });
    const stage = (await exportTfjsStage.create(exportTfjsStage.parse({ dynamic: true }, at), { container: scope, build: () => Promise.reject(new Error('no refs')) })) as Stage;
    const student = v5StyleModel();
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const context: StageContext = {
      index: 3,
      models: { student, data: fixtureImageData(['a', 'b', 'c'], 2) },
      rng: new SeededRng(0),
      events: new EventBus(),
      logger,
      folder: new RunFolder(dir),
      checkpoints: { save: () => Promise.reject(new Error('unused')), resumeFrom: undefined },
      signal: new AbortController().signal,
    };
    try {
      await stage.run(context);
      const folder = join(dir, 'export', 'v5-style_web_model');
      expect(existsSync(join(folder, 'group1-shard1of1.bin'))).toBe(true);
      const report = JSON.parse(readFileSync(join(folder, 'parity.json'), 'utf8')) as ParityReport;
      expect([report.passed, report.batch]).toEqual([true, 2]);
      const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as GraphModelJson;
      expect(json.userDefinedMetadata['pipeline']).toBe('tfjs-stage-spec');
      expect(lines.join('\n')).toMatch(/export\.TfjsGraph: wrote .*v5-style_web_model\/model\.json\nparity on 2 image\(s\), tfjs graph model \(wasm\), batch 2:\n  output0 \[2, 1575, 8\]: max\|graph-tfjs\| .* ok/);
    } finally {
      student.dispose();
    }
  });
});
