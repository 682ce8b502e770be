import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { loadCheckpointFolder, type OnnxFloatTensor, type TimedRunEvent } from '@yolo-distill/core';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

const configs = fileURLToPath(new URL('../../../configs/', import.meta.url));

// Pruning through the CLI: real YOLOv5n / YOLOv8n, 64 px synthetic shapes.
const box = cliSandbox('yd-prune-');
const io = box.io;

const events = (run: string): TimedRunEvent[] =>
  readFileSync(join(box.dir, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TimedRunEvent);
const readJson = <T>(...path: string[]): T => JSON.parse(readFileSync(join(box.dir, ...path), 'utf8')) as T;

interface PruneJson {
  readonly before: { params: number };
  readonly after: { params: number };
  readonly removed: { params: number };
  readonly maskedMaxError: number;
  readonly layers: readonly { conv: string; out: [number, number] }[];
}

describe('prune.Channels through the CLI', () => {
  it('runs configs/prune-tiny.yaml (prune -> distill from the unpruned model -> finetune), and resumes after pruning with the pruned student', async () => {
    const set = ['--set', `runs=${join(box.dir, 'runs')}`, '--set', `data.root=${join(box.dir, 'shapes')}`, '--set', 'backend=wasm'];
    expect(await runCli(['run', join(configs, 'prune-tiny.yaml'), ...set], { io })).toBe(0);
    const report = readJson<PruneJson>('runs', 'prune-tiny', 'prune-0.json');
    expect(report.removed.params).toBeGreaterThanOrEqual(0.35);
    expect(report.maskedMaxError).toBeLessThanOrEqual(1e-5);
    const all = events('prune-tiny');
    expect(all.filter((e) => e.type === 'epoch-end').map((e) => (e.type === 'epoch-end' ? e.stage : -1))).toEqual([1, 2]);
    expect(box.err + box.out).toMatch(/prune\.Channels: yolov5n \d+ -> \d+ parameters \(-3\d\.\d%\)/);
    // The student that distils and fine-tunes is the pruned one (the teacher, built apart, stays whole).
    const end = await loadCheckpointFolder(join(box.dir, 'runs', 'prune-tiny', 'checkpoints', '02-finetune', 'stage-end'));
    const widths = end.meta['channelWidths'] as Record<string, [number, number]>;
    expect(Object.keys(widths).length).toBeGreaterThan(10);
    const params = Object.entries(end.tensors).reduce((n, [name, t]) => (name.includes('running_') ? n : n + t.data.length), 0);
    expect(params).toBe(report.after.params);
    expect(end.tensors['model.0.conv.weight']?.shape[3]).toBe(report.layers.find((l) => l.conv === 'model.0')?.out[1]);

    // A run killed after pruning and distilling resumes with the pruned student (the runner rebuilds it from distill's stage end).
    const killed = [...set, '--set', 'name=prune-killed'];
    const folder = join(box.dir, 'runs', 'prune-killed');
    const controller = new AbortController();
    const distilled = join(folder, 'checkpoints', '01-distill', 'stage-end', 'meta.json');
    const watcher = setInterval(() => {
      if (existsSync(distilled)) controller.abort();
    }, 2);
    expect(await runCli(['run', join(configs, 'prune-tiny.yaml'), ...killed], { io, signal: controller.signal })).toBe(130);
    clearInterval(watcher);
    box.clearOutput();
    const code = await runCli(['run', join(configs, 'prune-tiny.yaml'), ...killed, '--resume', folder], { io });
    expect(code, box.err).toBe(0);
    expect(box.err + box.out).toMatch(/restored the student from the end of stage distill/);
    const resumed = await loadCheckpointFolder(join(folder, 'checkpoints', '02-finetune', 'stage-end'));
    let worst = 0;
    for (const [name, t] of Object.entries(end.tensors)) {
      const b = resumed.tensors[name]!.data;
      expect(b.length, name).toBe(t.data.length);
      for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs((t.data[i] as number) - (b[i] as number)));
    }
    expect(worst).toBeLessThan(1e-5);
  }, 240_000);

  it('bnL1 on a training stage pulls every BatchNorm gamma by lr * bnL1 in one plain SGD step, logs the penalty, and bn-gamma pruning follows', async () => {
    // One SGD step (no momentum, decay, clipping or EMA) from gammas of 1: the penalty's gradient is bnL1 * sign(1),
    // so each gamma ends lr * bnL1 below the same run without it, and the step-0 penalty is bnL1 * (BatchNorm channels).
    const pipeline = (name: string, bnL1: number, prune: string) => `name: ${name}
seed: 1
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 2 }
student: { type: yolov5.Model, scale: n, seed: 1 }
stages:
  - name: slim
    type: trainer.Train
    epochs: 1
    batch: 4
    stepsPerEpoch: 1
    optimizer: { type: sgd, lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }
    schedule: { warmupEpochs: 0, decay: constant }
    clipNorm: 0
    ema: false
    validate: { every: 0 }
    logEvery: 1
    bnL1: ${bnL1}
${prune}`;
    const files = { slim: join(box.dir, 'slim.yaml'), plain: join(box.dir, 'plain.yaml') };
    writeFileSync(files.slim, pipeline('slim', 0.01, '  - { name: prune, type: prune.Channels, ratio: 0.3, importance: bn-gamma, roundTo: 4 }\n'));
    writeFileSync(files.plain, pipeline('plain', 0, ''));
    expect(await runCli(['run', files.slim, '--no-report'], { io }), box.err).toBe(0);
    expect(await runCli(['run', files.plain, '--no-report'], { io }), box.err).toBe(0);
    const gammas = async (run: string) => {
      const end = await loadCheckpointFolder(join(box.dir, 'runs', run, 'checkpoints', '00-slim', 'stage-end'));
      return Object.fromEntries(Object.entries(end.tensors).filter(([name]) => name.endsWith('.bn.weight')));
    };
    const slim = await gammas('slim');
    const plain = await gammas('plain');
    const names = Object.keys(plain);
    expect(names.length).toBeGreaterThan(50);
    let channels = 0;
    let worst = 0;
    for (const name of names) {
      const a = plain[name]!.data;
      const b = slim[name]!.data;
      channels += a.length;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((b[i] as number) - (a[i] as number) + 0.1 * 0.01));
    }
    expect(worst).toBeLessThan(2e-6);
    const step = events('slim').find((e) => e.type === 'step');
    expect(step?.type === 'step' && step.losses['bnL1']).toBeCloseTo(0.01 * channels, 3);
    expect(events('plain').find((e) => e.type === 'step' && 'bnL1' in e.losses)).toBeUndefined();
    expect(readJson<PruneJson>('runs', 'slim', 'prune-1.json').removed.params).toBeGreaterThan(0.2);
  }, 240_000);

  it.each(['yolov5', 'yolov8'])('a pruned %sn saves, loads from its checkpoint (weights:) and exports to ONNX matching onnxruntime', async (adapter) => {
    const header = (name: string, student: string) => `name: ${name}
seed: 1
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 2 }
student: ${student}
stages:
`;
    const pruneRun = `${header('pruned', `{ type: ${adapter}.Model, scale: n, seed: 1 }`)}  - { name: prune, type: prune.Channels, ratio: 0.35, target: params, roundTo: 8, importance: bn-gamma }
  - { name: export, type: export.Onnx, parityImages: 2 }
`;
    const pruneFile = join(box.dir, 'pruned.yaml');
    writeFileSync(pruneFile, pruneRun);
    expect(await runCli(['run', pruneFile], { io })).toBe(0);
    const report = readJson<PruneJson>('runs', 'pruned', 'prune-0.json');
    expect(report.removed.params).toBeGreaterThanOrEqual(0.35);
    expect(report.layers.filter((l) => l.out[0] !== l.out[1]).every((l) => l.out[1] % 8 === 0)).toBe(true);
    // The real model's cut is exact: the original with the removed channels zeroed computes the same.
    expect(report.maskedMaxError).toBeLessThanOrEqual(1e-5);
    const onnx = join(box.dir, 'runs', 'pruned', 'export', `${adapter}n.onnx`);
    const parity = readJson<{ passed: boolean; worst: { maxAbsError: number; relativeError: number } }>('runs', 'pruned', 'export', `${adapter}n.onnx.parity.json`);
    expect(parity.passed).toBe(true);
    expect(parity.worst.relativeError).toBeLessThanOrEqual(1e-4);

    // A second pipeline loads the pruned checkpoint through `weights:` and exports it again.
    const weights = join(box.dir, 'runs', 'pruned', 'checkpoints', '00-prune', 'stage-end');
    const loadFile = join(box.dir, 'loaded.yaml');
    writeFileSync(loadFile, `${header('loaded', `{ type: ${adapter}.Model, scale: n, weights: ${weights} }`)}  - { name: export, type: export.Onnx, parityImages: 2 }\n`);
    expect(await runCli(['run', loadFile], { io })).toBe(0);
    const again = join(box.dir, 'runs', 'loaded', 'export', `${adapter}n.onnx`);
    expect(readJson<{ passed: boolean }>('runs', 'loaded', 'export', `${adapter}n.onnx.parity.json`).passed).toBe(true);
    // Both files compute the same in onnxruntime.
    const sessions = new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1 });
    const input = { data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => ((i * 7919) % 1000) / 1000), dims: [1, 3, 64, 64] };
    const outputs: OnnxFloatTensor[] = [];
    for (const file of [onnx, again]) {
      const session = await sessions.create(file);
      outputs.push(Object.values(await session.run({ images: input }))[0]!);
      await session.release();
    }
    const [a, b] = outputs as [OnnxFloatTensor, OnnxFloatTensor];
    expect(b.data.length).toBe(a.data.length);
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs((a.data[i] as number) - (b.data[i] as number)));
    expect(worst).toBe(0);
  }, 240_000);
});
