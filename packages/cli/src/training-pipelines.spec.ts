import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { loadCheckpointFolder, type TimedRunEvent } from '@yolo-distill/core';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

const configs = fileURLToPath(new URL('../../../configs/', import.meta.url));

// Real pipelines through the CLI: YOLOv5n students on 64 px synthetic shapes, a few steps each.
const box = cliSandbox('yd-train-');
const io = box.io;

const header = (name: string, teacher = 'teacher: { type: yolov5.Model, scale: n, seed: 5 }') => `name: ${name}
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 32, val: 8, seed: 2 }
${teacher}
student: { type: yolov5.Model, scale: n, seed: 1 }
`;

const distillStage = (extra: string) => `stages:
  - name: distill
    type: trainer.Distill
    epochs: 2
    batch: 8
    optimizer: { type: adam, lr: 0.002 }
    schedule: { warmupEpochs: 0 }
    ema: { decay: 0.9, tau: 2 }
    logEvery: 1
    losses:
      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: 0.7 }
      - { type: losses.DecoupledHead }
${extra}`;

const GUARDS_WARN = '    guards: { untrainedTeacher: warn, weakTeacher: warn }\n';

function write(name: string, text: string): string {
  const file = join(box.dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

function events(run: string): TimedRunEvent[] {
  return readFileSync(join(box.dir, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TimedRunEvent);
}

describe('trainer.Distill through the CLI', () => {
  it('runs configs/tiny-distill.yaml: two epochs, every term logged, losses fall, a checkpoint each epoch', async () => {
    const set = ['--set', `runs=${join(box.dir, 'runs')}`, '--set', `data.root=${join(box.dir, 'shapes')}`, '--set', 'backend=wasm'];
    expect(await runCli(['run', join(configs, 'tiny-distill.yaml'), ...set], { io })).toBe(0);
    const all = events('tiny-distill');
    const epochs = all.flatMap((e) => (e.type === 'epoch-end' ? [e.losses] : []));
    expect(epochs).toHaveLength(2);
    for (const term of ['total', 'native', 'FeatureL2[neck.0]', 'ChannelWiseKL[neck.2]', 'DecoupledHead', 'native.box', 'native.obj', 'native.cls', 'gradNorm']) {
      expect(epochs[0]).toHaveProperty([term]);
      expect(Number.isFinite(epochs[1]?.[term])).toBe(true);
    }
    expect(epochs[1]!['total']!).toBeLessThan(epochs[0]!['total']!);
    expect(epochs[1]!['FeatureL2[neck.0]']!).toBeLessThan(epochs[0]!['FeatureL2[neck.0]']!);
    expect(all.filter((e) => e.type === 'checkpoint' && e.label === 'last')).toHaveLength(2);
    expect(all.some((e) => e.type === 'metric' && e.name === 'val.map50')).toBe(true);
    expect(all.some((e) => e.type === 'metric' && e.name === 'before.teacher.map50')).toBe(true);
    // Loud warnings for the freshly initialised, weak teacher; the report is in the run folder.
    expect(box.err).toMatch(/!!! .*teacher's weights were never loaded/);
    expect(box.err).toMatch(/!!! .*is not better than the student/);
    const check = JSON.parse(readFileSync(join(box.dir, 'runs', 'tiny-distill', 'distill-check-0.json'), 'utf8')) as { weightsSource: string | null; batchDependence: number };
    expect(check.weightsSource).toBeNull();
    expect(check.batchDependence).toBeLessThan(1e-3);
    const summary = JSON.parse(readFileSync(join(box.dir, 'runs', 'tiny-distill', 'training-0.json'), 'utf8')) as { steps: number; history: unknown[] };
    expect(summary.steps).toBe(8);
    expect(summary.history).toHaveLength(2);

  }, 180_000);

  it('leaks no tensors per step: a 1-epoch and a 3-epoch run leave the same number behind', async () => {
    await selectBackend('wasm');
    const leftBehind = async (name: string, epochs: number) => {
      const before = tf.memory().numTensors;
      const file = write(name, header(name) + distillStage(GUARDS_WARN).replace('epochs: 2', `epochs: ${epochs}`).replace('batch: 8', 'batch: 8\n    stepsPerEpoch: 2'));
      expect(await runCli(['run', file], { io })).toBe(0);
      return tf.memory().numTensors - before;
    };
    const one = await leftBehind('one', 1);
    const three = await leftBehind('three', 3);
    expect(three).toBe(one);
  }, 120_000);

  it('resumes a run killed in its second epoch and ends with the weights of an uninterrupted run', async () => {
    const text = (name: string) => header(name) + distillStage(GUARDS_WARN);
    expect(await runCli(['run', write('whole', text('whole'))], { io })).toBe(0);

    const controller = new AbortController();
    const lastCheckpoint = join(box.dir, 'runs', 'killed', 'checkpoints', '00-distill', 'last', 'meta.json');
    const watcher = setInterval(() => {
      if (existsSync(lastCheckpoint)) controller.abort();
    }, 5);
    const killedFile = write('killed', text('killed'));
    expect(await runCli(['run', killedFile], { io, signal: controller.signal })).toBe(130);
    clearInterval(watcher);
    const meta = JSON.parse(readFileSync(lastCheckpoint, 'utf8')) as { meta: { epoch: number } };
    expect(meta.meta.epoch).toBe(1);

    expect(await runCli(['run', killedFile, '--resume', join(box.dir, 'runs', 'killed')], { io })).toBe(0);
    const whole = await loadCheckpointFolder(join(box.dir, 'runs', 'whole', 'checkpoints', '00-distill', 'stage-end'));
    const resumed = await loadCheckpointFolder(join(box.dir, 'runs', 'killed', 'checkpoints', '00-distill', 'stage-end'));
    const names = Object.keys(whole.tensors);
    expect(Object.keys(resumed.tensors).sort()).toEqual([...names].sort());
    let worst = 0;
    for (const name of names) {
      const a = whole.tensors[name]!.data;
      const b = resumed.tensors[name]!.data;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    }
    expect(worst).toBeLessThan(1e-6);
  }, 180_000);

  it('validate dry-runs the losses and reports a tap pair that does not fit, at its YAML line', async () => {
    const file = write('mismatch', header('mismatch') + distillStage(GUARDS_WARN).replace('teacher: neck.0, weight: 0.3', 'teacher: neck.1, weight: 0.3'));
    expect(await runCli(['validate', file], { io })).toBe(2);
    expect(box.err).toMatch(/mismatch\.yaml:\d+:\d+.*dry run of stage 'distill' failed: losses\.FeatureL2: student tap 'neck\.0' is \[2,8,8,64\] but teacher tap 'neck\.1' is \[2,4,4,128\]/s);
    expect(existsSync(join(box.dir, 'runs'))).toBe(false);
    expect(existsSync(join(box.dir, 'shapes'))).toBe(false);
  }, 60_000);

  it('stops on a freshly initialised teacher unless told to warn', async () => {
    const file = write('untrained', header('untrained') + distillStage(''));
    expect(await runCli(['run', file], { io })).toBe(1);
    expect(box.err).toMatch(/teacher's weights were never loaded .*to go on anyway set guards\.untrainedTeacher: warn/);
  }, 60_000);

  it('stops when the teacher is no better than the student, with both mAPs in the message', async () => {
    const first = write('first', header('first') + distillStage(GUARDS_WARN).replace('epochs: 2', 'epochs: 1'));
    expect(await runCli(['run', first], { io })).toBe(0);
    const teacher = `teacher: { type: yolov5.Model, scale: n, weights: ${join(box.dir, 'runs', 'first', 'checkpoints', '00-distill', 'stage-end')} }`;
    const file = write('weak', header('weak', teacher) + distillStage(''));
    expect(await runCli(['run', file], { io })).toBe(1);
    expect(box.err).toMatch(/the teacher \(mAP50 0\.\d{4}, mAP50-95 0\.\d{4}\) is not better than the student \(mAP50 0\.\d{4}, mAP50-95 0\.\d{4}\).*guards\.weakTeacher: warn/);
  }, 120_000);

  it('stops a run whose distillation term overflows, naming the term', async () => {
    const stage = distillStage(GUARDS_WARN).replace('weight: 0.3 }', 'weight: 1.0e+38, gamma: 10 }');
    const file = write('overflow', header('overflow') + stage);
    expect(await runCli(['run', file], { io })).toBe(1);
    expect(box.err).toMatch(/loss term 'FeatureL2\[neck\.0\]' is (Infinity|NaN) at epoch 1, step 1/);
  }, 60_000);

  it('stops a run in which one term dominates the others by more than 100x', async () => {
    const stage = distillStage(GUARDS_WARN).replace('weight: 0.3 }', 'weight: 100000 }').replace('epochs: 2', 'epochs: 3');
    const file = write('dominant', header('dominant') + stage);
    expect(await runCli(['run', file], { io })).toBe(1);
    expect(box.err).toMatch(/loss term 'FeatureL2\[neck\.0\]' dominates the total by \d+x \(limit 100x\)/);
  }, 60_000);

  it('distils from an EMA of the student itself when asked (no pipeline teacher), then fine-tunes', async () => {
    const text = `${header('ema', '')}stages:
  - name: self
    type: trainer.Distill
    epochs: 1
    batch: 8
    teacher: { mode: ema, decay: 0.9, tau: 1 }
    losses:
      - { type: losses.FeatureL2, student: neck.1, teacher: neck.1 }
  - name: tune
    type: trainer.Finetune
    epochs: 1
    batch: 8
    stepsPerEpoch: 2
`;
    expect(await runCli(['run', write('ema', text)], { io })).toBe(0);
    const all = events('ema');
    const ends = all.flatMap((e) => (e.type === 'epoch-end' ? [e] : []));
    expect(ends.map((e) => e.stage)).toEqual([0, 1]);
    expect(ends[0]!.losses).toHaveProperty(['FeatureL2[neck.1]']);
    expect(ends[1]!.losses).not.toHaveProperty(['FeatureL2[neck.1]']);
    expect(all.filter((e) => e.type === 'step' && e.stage === 1)).toHaveLength(2);
  }, 120_000);
});
