import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import { useTempDir } from '@yolo-distill/core/testing';
import { ConfigLocation, EventBus, InlineConfigSource, RunFolder, SeededRng, type DetectionModel, type Logger, type RunEvent, type Stage, type StageContext } from '@yolo-distill/core';
import type { YoloModel } from '@yolo-distill/yolo';
import { tinyData, tinyModel } from '../test-support/tiny-models.js';
import type { PruneReport } from './prune-report.js';
import { pruneChannelsStage } from './prune-stage.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'), ['stages', 0]);

describe('prune.Channels: config', () => {
  it('has defaults: l2, global, channels, maxRatio 0.75, roundTo 1, the head ignored, one step, verified', () => {
    expect(pruneChannelsStage.parse({ ratio: 0.3 }, at)).toEqual({
      importance: 'l2',
      ratio: 0.3,
      target: 'channels',
      scope: 'global',
      maxRatio: 0.75,
      roundTo: 1,
      ignore: ['head'],
      steps: 1,
      taylor: { batches: 4, batch: 8 },
      verify: true,
    });
  });

  it('refuses a missing or out-of-range ratio, unknown criteria and keys, naming the place', () => {
    expect(() => pruneChannelsStage.parse({}, at)).toThrow(/p\.yaml.*stages\[0\].*ratio/);
    expect(() => pruneChannelsStage.parse({ ratio: 1.2 }, at)).toThrow(/stages\[0\]\.ratio/);
    expect(() => pruneChannelsStage.parse({ ratio: 0.3, importance: 'l3' }, at)).toThrow(/stages\[0\]\.importance/);
    expect(() => pruneChannelsStage.parse({ ratio: 0.3, roundto: 4 }, at)).toThrow(/unknown key 'roundto'.*roundTo/);
    expect(() => pruneChannelsStage.parse({ ratio: 0.3, taylor: { batches: 2 } }, at)).toThrow(/stages\[0\]\.taylor: 'taylor' settings only apply to importance: taylor/);
  });
});

describe('prune.Channels: a run', () => {
  const tempDir = useTempDir('prune-stage');
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  async function runStage(raw: Record<string, unknown>, student: DetectionModel) {
    const stage = (await pruneChannelsStage.create(pruneChannelsStage.parse(raw, at), { container, build: () => Promise.reject(new Error('no refs')) })) as Stage;
    const dir = tempDir();
    const lines: string[] = [];
    const events: RunEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((e) => void events.push(e));
    const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const context: StageContext = {
      index: 0,
      models: { student, data: tinyData(2) },
      rng: new SeededRng(0),
      events: bus,
      logger,
      folder: new RunFolder(dir),
      checkpoints: { save: () => Promise.reject(new Error('unused')), resumeFrom: undefined },
      signal: new AbortController().signal,
    };
    await stage.run(context);
    return { context, dir, lines, events };
  }

  it('replaces the student by a smaller dense model, 35% fewer parameters, and writes the per-layer table', async () => {
    const original = tinyModel('v5', 1);
    const before = original.parameterCount();
    const { context, dir, lines, events } = await runStage({ ratio: 0.35, target: 'params', roundTo: 4, importance: 'taylor', taylor: { batches: 1, batch: 4 } }, original);
    const pruned = context.models.student as YoloModel;
    try {
      expect(pruned).not.toBe(original);
      const report = JSON.parse(readFileSync(join(dir, 'prune-0.json'), 'utf8')) as PruneReport;
      expect(report.before.params).toBe(before);
      expect(report.after.params).toBe(pruned.parameterCount());
      expect(report.removed.params).toBeGreaterThanOrEqual(0.35);
      expect(report.after.flops).toBeLessThan(report.before.flops);
      expect(report.maskedMaxError).toBeLessThanOrEqual(1e-5);
      // Detect keeps its outputs; every pruned conv's outputs are a multiple of 4.
      const detect = report.layers.filter((l) => l.conv.startsWith('model.11.'));
      expect(detect.every((l) => l.out[0] === l.out[1])).toBe(true);
      expect(report.layers.filter((l) => l.out[1] !== l.out[0]).every((l) => l.out[1] % 4 === 0)).toBe(true);
      expect(report.layers.reduce((s, l) => s + l.params[1], 0)).toBe(pruned.parameterCount());
      // model.2.cv1: 1x1 conv 32 -> 16 is 512 weights + 32 BatchNorm affine terms.
      const table = readFileSync(join(dir, 'prune-0.md'), 'utf8');
      expect(table).toMatch(/\| model\.2\.cv1 \| 32 -> \d+ \| 16 -> \d+ \| 544 -> \d+ \|/);
      expect(table).toMatch(/\*\*total\*\* .* -> .* \(-3\d\.\d%\)/);
      expect(lines[0]).toMatch(/prune\.Channels: tiny-v5 \d+ -> \d+ parameters \(-3\d\.\d%\), taylor importance; pruned vs masked original max \|diff\|/);
      expect(events.filter((e) => e.type === 'metric').map((e) => (e.type === 'metric' ? e.name : ''))).toEqual(['prune.params.before', 'prune.params.after', 'prune.flops.before', 'prune.flops.after']);
      // The original was released: the pipeline holds only the pruned student.
      expect(() => original.getWeights()['model.0.conv.weight']!.dataSync()).toThrow();
    } finally {
      pruned.dispose();
    }
  });

  it('prunes in steps, each removing the same share of what the last one left', async () => {
    const original = tinyModel('v8', 1);
    const before = original.parameterCount();
    const { context, dir, lines } = await runStage({ ratio: 0.36, steps: 2, target: 'params', scope: 'layer' }, original);
    const pruned = context.models.student as YoloModel;
    try {
      const report = JSON.parse(readFileSync(join(dir, 'prune-0.json'), 'utf8')) as PruneReport;
      expect(report.steps).toHaveLength(2);
      const [first, second] = report.steps as [PruneReport['steps'][0], PruneReport['steps'][0]];
      // 1 - (1 - 0.36)^(1/2) = 0.2 of the parameters per step (at least; the cut is in whole channels).
      expect(1 - first.params / before).toBeGreaterThanOrEqual(0.2);
      expect(1 - second.params / first.params).toBeGreaterThanOrEqual(0.2);
      expect(report.removed.params).toBeGreaterThanOrEqual(0.36);
      expect(second.params).toBe(pruned.parameterCount());
      expect(lines[0]).not.toMatch(/masked/); // the check needs one step
    } finally {
      pruned.dispose();
    }
  });

  it('refuses a student that is no model YAML model', async () => {
    const fake = { name: 'onnx-thing' } as unknown as DetectionModel;
    await expect(runStage({ ratio: 0.2 }, fake)).rejects.toThrow(/prune\.Channels: onnx-thing is not a model built from a model YAML/);
  });
});
