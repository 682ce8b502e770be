import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fusedConvBnActEnabled, setFusedConvBnAct } from '@yolo-distill/backend';
import { loadCheckpointFolder, type CheckpointPayload, type TimedRunEvent } from '@yolo-distill/core';
import sharp from 'sharp';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

// `workers:` through the CLI: replica threads built from the same pipeline by the same plugins.
const box = cliSandbox('yd-workers-');
const io = box.io;

/**
 * A data set on which splitting a batch does not change the math: every image has the same pixels (so
 * the BN batch statistics of any shard are the whole batch's) and one box of the same size well inside
 * the image (so YOLOv5's loss assigns the same number of anchor cells to every image, and its per-level
 * means times the shard size add up to the batch's). What differs between images is where the box is.
 */
async function uniformDataset(root: string, train: number): Promise<void> {
  const size = 64;
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pixels = Buffer.from(Array.from({ length: size * size * 3 }, () => Math.floor(next() * 256)));
  const png = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
  for (const [split, count] of [['train', train], ['val', 2]] as const) {
    mkdirSync(join(root, 'images', split), { recursive: true });
    mkdirSync(join(root, 'labels', split), { recursive: true });
    for (let i = 0; i < count; i++) {
      writeFileSync(join(root, 'images', split, `img${i}.png`), png);
      const [cx, cy] = [0.3 + 0.4 * next(), 0.3 + 0.4 * next()];
      writeFileSync(join(root, 'labels', split, `img${i}.txt`), `${i % 2} ${cx.toFixed(4)} ${cy.toFixed(4)} 0.2500 0.2500\n`);
    }
  }
  writeFileSync(join(root, 'data.yaml'), 'path: .\ntrain: images/train\nval: images/val\nnames: [a, b]\n');
}

/**
 * Two epochs of one step, SGD (updates proportional to the gradients: Adam would turn float noise on a
 * weight whose gradient is ~0 into a full-size step). Two steps, because this network at initialisation
 * amplifies float noise some 20x per step whatever splits the batch (W=1 with the batch merely reordered
 * does the same), so "equal within float error" has a short horizon.
 */
function pipeline(name: string, workers: number | string, data: string, distill?: { readonly teacher: string }, extraKeys = ''): string {
  const file = join(box.dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: ${data}
student: { type: yolov5.Model, scale: n, seed: 1 }
${distill ? `teacher: ${distill.teacher}\n` : ''}stages:
  - name: train
    type: ${distill ? 'trainer.Distill' : 'trainer.Train'}
    epochs: 2
    batch: 8
    stepsPerEpoch: 1
    optimizer: { type: sgd, lr: 0.002 }
    schedule: { warmupEpochs: 0 }
    validate: { every: 0 }
    workers: ${workers}
${extraKeys}${distill ? DISTILL_KEYS : ''}`,
  );
  return file;
}

const DISTILL_KEYS = `    guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }
    losses:
      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: 0.7 }
      - { type: losses.DecoupledHead }
`;

const last = (run: string) => loadCheckpointFolder(join(box.dir, 'runs', run, 'checkpoints', '00-train', 'last'));

/**
 * The largest difference of the student's tensors, relative to the largest value of each tensor:
 * parameters, and BN running statistics apart (rank 0's: its shard's batch variance has a Bessel factor
 * n/(n-1) of its own shard's n = 4 * 2 * 2 at the 2x2 stride-32 maps here, against 8 * 2 * 2 for the batch).
 */
function worstDifference(a: CheckpointPayload, b: CheckpointPayload, running: boolean): number {
  const names = Object.keys(a.tensors).filter((name) => name.startsWith('student.') && name.includes('.running_') === running);
  expect(names.length).toBeGreaterThan(50);
  let worst = 0;
  for (const name of names) {
    const x = a.tensors[name]?.data as Float32Array;
    const y = b.tensors[name]?.data as Float32Array;
    let scale = 1e-3;
    for (const v of x) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / scale);
  }
  return worst;
}

/** This process's OS threads (a worker_thread that still runs is one or more of them). */
function osThreads(): number {
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

/** This process's OS thread count once it is at most `target`, or after `ms` (a terminated worker's thread exits shortly after `terminate()` resolves). */
async function threadsSettledTo(target: number, ms = 10_000): Promise<number> {
  const end = Date.now() + ms;
  while (osThreads() > target && Date.now() < end) await new Promise((done) => setTimeout(done, 50));
  return osThreads();
}

function events(run: string): TimedRunEvent[] {
  return readFileSync(join(box.dir, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TimedRunEvent);
}

describe('workers: N through the CLI', () => {
  it('gives the parameters of workers: 1 where splitting a batch does not change the math, and logs the same losses', async () => {
    const root = join(box.dir, 'uniform');
    await uniformDataset(root, 16);
    const data = `{ type: data.YoloDataset, root: ${root}, imgsz: 64 }`;
    // No report: its image and evaluation work can grow libuv's thread pool, which this test would count as a replica's.
    expect(await runCli(['run', pipeline('w1', 1, data), '--no-report'], { io })).toBe(0);
    const threadsBefore = osThreads();
    expect(await runCli(['run', pipeline('w2', 2, data), '--no-report'], { io })).toBe(0);
    expect(box.err).toMatch(/trainer\.Train: workers: 2\n/);
    // The replica's thread is gone once the stage ends (this process's OS threads are back to what they were).
    expect(await threadsSettledTo(threadsBefore)).toBeLessThanOrEqual(threadsBefore);
    const [one, two] = [await last('w1'), await last('w2')];
    expect(two.meta).toMatchObject({ epoch: 2, step: 2 });
    expect(worstDifference(one, two, false)).toBeLessThan(2e-4);
    expect(worstDifference(one, two, true)).toBeLessThan(1e-2);
    const losses = (run: string) => events(run).flatMap((e) => (e.type === 'epoch-end' ? [e.losses] : []));
    const [l1, l2] = [losses('w1'), losses('w2')];
    expect(l2).toHaveLength(2);
    // The first step differs by summation order only; the second also by what the first left amplified (gradNorm most).
    const tolerance = [{ loss: 1e-4, gradNorm: 1e-3 }, { loss: 1e-3, gradNorm: 2e-2 }];
    for (const [i, epoch] of l1.entries()) {
      for (const name of ['total', 'native.box', 'native.obj', 'native.cls', 'gradNorm']) {
        const [a, b] = [epoch[name] as number, l2[i]?.[name] as number];
        const relative = tolerance[i]?.[name === 'gradNorm' ? 'gradNorm' : 'loss'] as number;
        expect({ epoch: i, name, close: Math.abs(a - b) <= relative * Math.abs(a) }).toEqual({ epoch: i, name, close: true });
      }
    }
  }, 240_000);

  it('splits the BatchNorm L1 penalty (bnL1) as a mean: workers: 2 logs and steps as workers: 1 does', async () => {
    const root = join(box.dir, 'uniform-l1');
    await uniformDataset(root, 16);
    const data = `{ type: data.YoloDataset, root: ${root}, imgsz: 64 }`;
    const slim = '    bnL1: 0.01\n';
    expect(await runCli(['run', pipeline('l1-w1', 1, data, undefined, slim), '--no-report'], { io })).toBe(0);
    expect(await runCli(['run', pipeline('l1-w2', 2, data, undefined, slim), '--no-report'], { io })).toBe(0);
    const [one, two] = [await last('l1-w1'), await last('l1-w2')];
    expect(worstDifference(one, two, false)).toBeLessThan(2e-4);
    const penalty = (run: string) => events(run).flatMap((e) => (e.type === 'epoch-end' ? [e.losses['bnL1'] as number] : []));
    const [p1, p2] = [penalty('l1-w1'), penalty('l1-w2')];
    expect(p1).toHaveLength(2);
    // Summed over the shards instead of averaged, workers: 2 would log twice the penalty.
    for (const [i, value] of p1.entries()) expect(Math.abs((p2[i] as number) - value)).toBeLessThan(1e-5 * value);
  }, 240_000);

  it('trains a student pruned by an earlier stage with workers: 2 as with workers: 1 (the replicas rebuild it to the pruned widths)', async () => {
    const root = join(box.dir, 'uniform-pruned');
    await uniformDataset(root, 16);
    const pruned = (name: string, workers: number) => {
      const file = join(box.dir, `${name}.yaml`);
      writeFileSync(
        file,
        `name: ${name}
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.YoloDataset, root: ${root}, imgsz: 64 }
student: { type: yolov5.Model, scale: n, seed: 1 }
stages:
  - { name: prune, type: prune.Channels, ratio: 0.35, target: params, roundTo: 4 }
  - { name: train, type: trainer.Train, epochs: 2, batch: 8, stepsPerEpoch: 1, optimizer: { type: sgd, lr: 0.002 }, schedule: { warmupEpochs: 0 }, validate: { every: 0 }, workers: ${workers} }
`,
      );
      return file;
    };
    expect(await runCli(['run', pruned('pruned-w1', 1), '--no-report'], { io }), box.err).toBe(0);
    expect(await runCli(['run', pruned('pruned-w2', 2), '--no-report'], { io }), box.err).toBe(0);
    expect(box.err).toMatch(/trainer\.Train: workers: 2\n/);
    const end = (run: string) => loadCheckpointFolder(join(box.dir, 'runs', run, 'checkpoints', '01-train', 'last'));
    const [one, two] = [await end('pruned-w1'), await end('pruned-w2')];
    // The pruned widths: model.0's 16 outputs are cut to a multiple of 4.
    const stem = one.tensors['student.model.0.conv.weight']?.shape[3] as number;
    expect(stem % 4 === 0 && stem < 16).toBe(true);
    expect(two.tensors['student.model.0.conv.weight']?.shape[3]).toBe(stem);
    expect(worstDifference(one, two, false)).toBeLessThan(2e-4);
  }, 240_000);

  it('distils from a model teacher built in each replica, as close to workers: 1 as another conv kernel is', async () => {
    const root = join(box.dir, 'uniform');
    await uniformDataset(root, 16);
    const data = `{ type: data.YoloDataset, root: ${root}, imgsz: 64 }`;
    const teacher = { teacher: '{ type: yolov5.Model, scale: n, seed: 5 }' };
    expect(await runCli(['run', pipeline('d1', 1, data, teacher)], { io })).toBe(0);
    expect(await runCli(['run', pipeline('d2', 2, data, teacher)], { io })).toBe(0);
    expect(box.err).toMatch(/trainer\.Distill: workers: 2\n/);
    // The yardstick of float error: workers: 1 again with the autodiff Conv-BN-act path instead of the fused kernel.
    const fused = fusedConvBnActEnabled();
    setFusedConvBnAct(!fused);
    try {
      expect(await runCli(['run', pipeline('d0', 1, data, teacher)], { io })).toBe(0);
    } finally {
      setFusedConvBnAct(fused);
    }
    const first = (run: string) => events(run).find((e) => e.type === 'step')?.losses ?? {};
    const [a, b, c] = [first('d1'), first('d2'), first('d0')];
    for (const name of ['total', 'native', 'FeatureL2[neck.0]', 'ChannelWiseKL[neck.2]', 'DecoupledHead']) {
      expect({ name, close: Math.abs((a[name] as number) - (b[name] as number)) <= 1e-4 * Math.abs(a[name] as number) }).toEqual({ name, close: true });
    }
    const gradNorm = (x: Record<string, number>) => x['gradNorm'] as number;
    expect(Math.abs(gradNorm(a) - gradNorm(b))).toBeLessThan(3 * Math.abs(gradNorm(a) - gradNorm(c)) + 1e-6 * gradNorm(a));
    const [one, two, other] = [await last('d1'), await last('d2'), await last('d0')];
    const yardstick = worstDifference(one, other, false);
    expect(yardstick).toBeGreaterThan(0);
    expect(worstDifference(one, two, false)).toBeLessThan(3 * yardstick);
  }, 400_000);

  it('keeps an ONNX teacher on the main thread: workers: 2 is refused with the reason, auto trains with 1', async () => {
    const onnx = (name: string, workers: string) => {
      const file = join(box.dir, `${name}.yaml`);
      writeFileSync(
        file,
        `name: ${name}\nseed: 3\nbackend: wasm\nruns: ${join(box.dir, 'runs')}\n` +
          `data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 160, train: 8, val: 2, classes: 4, seed: 2 }\n` +
          `teacher: { type: onnx.Teacher, file: ${join(fixtures, 'yolov8n.onnx')} }\nstudent: { type: yolov8.Model, scale: n, seed: 1 }\n` +
          `stages:\n  - { name: distill, type: trainer.Distill, epochs: 1, batch: 8, stepsPerEpoch: 1, validate: { every: 0 }, workers: ${workers},\n` +
          `      guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }, losses: [{ type: losses.FeatureL2, student: neck.0, teacher: neck.0 }] }\n`,
      );
      return file;
    };
    expect(await runCli(['run', onnx('two', '2')], { io })).not.toBe(0);
    expect(box.err).toMatch(/workers: 2 cannot be used here: the teacher yolov8n\.onnx is an ONNX graph, which runs in onnxruntime beside the student .*; use workers: 1 \(or auto\)/);
    box.clearOutput();
    expect(await runCli(['run', onnx('auto', 'auto')], { io }), box.err).toBe(0);
    expect(box.err).toMatch(/trainer\.Distill: workers: auto -> 1 \(the teacher yolov8n\.onnx is an ONNX graph/);
  }, 180_000);

  it('resumes a run with another worker count: killed at workers 2, resumed at 1, and killed at 1, resumed at 2, each ending where workers: 1 does', async () => {
    const root = join(box.dir, 'uniform');
    await uniformDataset(root, 16);
    const data = `{ type: data.YoloDataset, root: ${root}, imgsz: 64 }`;
    expect(await runCli(['run', pipeline('whole', 1, data)], { io })).toBe(0);
    const whole = await last('whole');
    for (const [name, first, second] of [['a', 2, 1], ['b', 1, 2]] as const) {
      const controller = new AbortController();
      const checkpoint = join(box.dir, 'runs', name, 'checkpoints', '00-train', 'last', 'meta.json');
      const watcher = setInterval(() => existsSync(checkpoint) && controller.abort(), 5);
      expect(await runCli(['run', pipeline(name, first, data)], { io, signal: controller.signal })).toBe(130);
      clearInterval(watcher);
      expect((JSON.parse(readFileSync(checkpoint, 'utf8')) as { meta: { epoch: number } }).meta.epoch).toBe(1);
      // A resume keeps the run's own settings; `workers` is one of the few a --set may change on resume.
      box.clearOutput();
      expect(await runCli(['run', pipeline(name, first, data), '--resume', join(box.dir, 'runs', name), '--set', `stages[0].workers=${second}`], { io })).toBe(0);
      expect(box.err.includes('trainer.Train: workers: 2\n')).toBe(second === 2);
      expect(box.err).not.toContain('differs from them');
      const resumed = await last(name);
      expect({ name, parameters: worstDifference(whole, resumed, false) < 2e-4, running: worstDifference(whole, resumed, true) < 1e-2 }).toEqual({ name, parameters: true, running: true });
    }
  }, 300_000);

  it('refuses a bad worker count at its YAML line', async () => {
    const data = `{ type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 16, val: 4 }`;
    expect(await runCli(['validate', pipeline('bad', 9, data)], { io })).toBe(2);
    expect(box.err).toMatch(/bad\.yaml:16:14: stages\[0\]\.workers: expected at most batch \(8\) workers, each needs at least one image of the batch; found 9/);
    box.clearOutput();
    expect(await runCli(['validate', pipeline('zero', 0, data)], { io })).toBe(2);
    expect(box.err).toMatch(/zero\.yaml:16:14: stages\[0\]\.workers: expected a number >= 1, found number 0/);
    box.clearOutput();
    expect(await runCli(['validate', pipeline('word', 'two', data)], { io })).toBe(2);
    expect(box.err).toMatch(/word\.yaml:16:14: stages\[0\]\.workers: expected auto or a whole number of workers from 1 to 64, found string "two"/);
  }, 60_000);
});
