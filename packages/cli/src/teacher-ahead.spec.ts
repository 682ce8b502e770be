import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpointFolder, type TimedRunEvent } from '@yolo-distill/core';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

// An ONNX teacher in its worker runs one batch ahead of the student; the run must be the run of the
// same teacher on the caller's thread (inline), number for number, and resume exactly.
const box = cliSandbox('yd-ahead-');
const io = box.io;

function pipeline(name: string, thread: 'worker' | 'caller'): string {
  const file = join(box.dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 160, train: 20, val: 4, classes: 4, seed: 2 }
teacher: { type: onnx.Teacher, file: ${join(fixtures, 'yolov8n.onnx')}, thread: ${thread} }
student: { type: yolov8.Model, scale: n, seed: 1 }
stages:
  - name: distill
    type: trainer.Distill
    epochs: 2
    batch: 4
    stepsPerEpoch: 3
    optimizer: { type: adam, lr: 0.002 }
    schedule: { warmupEpochs: 0 }
    ema: { decay: 0.9, tau: 2 }
    validate: { every: 0 }
    logEvery: 1
    guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }
    losses:
      - { type: losses.FeatureL2, student: neck.0, teacher: neck.0, weight: 0.3 }
      - { type: losses.DecoupledHead }
`,
  );
  return file;
}

const stepLosses = (run: string) =>
  readFileSync(join(box.dir, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TimedRunEvent)
    .flatMap((event) => (event.type === 'step' ? [event.losses] : []));

const stageEnd = (run: string) => loadCheckpointFolder(join(box.dir, 'runs', run, 'checkpoints', '00-distill', 'stage-end'));

function worstDifference(a: Awaited<ReturnType<typeof stageEnd>>, b: Awaited<ReturnType<typeof stageEnd>>): number {
  expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
  let worst = 0;
  for (const [name, tensor] of Object.entries(a.tensors)) {
    const other = b.tensors[name]?.data ?? [];
    tensor.data.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - (other[i] ?? Number.NaN)))));
  }
  return worst;
}

describe('trainer.Distill with an ONNX teacher one batch ahead', () => {
  it('logs where the teacher runs, gives the inline run\'s losses and weights bit for bit, and resumes a killed run exactly', async () => {
    expect(await runCli(['run', pipeline('inline', 'caller')], { io }), box.err).toBe(0);
    expect(box.err).toContain('teacher yolov8n.onnx runs inline, before each student step');
    box.clearOutput();
    expect(await runCli(['run', pipeline('ahead', 'worker')], { io }), box.err).toBe(0);
    expect(box.err).toContain('teacher yolov8n.onnx runs in its own thread, one batch ahead');
    expect(box.err).not.toContain('runs inline');

    const [inline, ahead] = [stepLosses('inline'), stepLosses('ahead')];
    expect(ahead).toHaveLength(6);
    expect(ahead).toEqual(inline);
    expect(worstDifference(await stageEnd('inline'), await stageEnd('ahead'))).toBe(0);

    const controller = new AbortController();
    const lastCheckpoint = join(box.dir, 'runs', 'killed', 'checkpoints', '00-distill', 'last', 'meta.json');
    const watcher = setInterval(() => {
      if (existsSync(lastCheckpoint)) controller.abort();
    }, 5);
    const killed = pipeline('killed', 'worker');
    expect(await runCli(['run', killed], { io, signal: controller.signal })).toBe(130);
    clearInterval(watcher);
    expect(await runCli(['run', killed, '--resume', join(box.dir, 'runs', 'killed')], { io }), box.err).toBe(0);
    expect(worstDifference(await stageEnd('ahead'), await stageEnd('killed'))).toBeLessThan(1e-6);
  }, 300_000);
});
