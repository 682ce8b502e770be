import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

// Distillation from other versions into a YOLOv5n student where the feature maps differ in channels, so the
// feature term needs its 1x1 connector; the head term maps the teacher's predictions per location
// (losses/src/head/teacher-targets.ts): anchor-based v7 -> anchor-based v5, anchor-free v8 -> anchor-based v5.
const box = cliSandbox('yd-cross-conn-');
const io = box.io;

function pipeline(teacher: string, connector: 'auto' | 'none'): string {
  const file = join(box.dir, 'cross.yaml');
  writeFileSync(
    file,
    `name: cross
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 2 }
teacher: ${teacher}
student: { type: yolov5.Model, scale: n, seed: 1 }
stages:
  - name: distill
    type: trainer.Distill
    epochs: 1
    batch: 4
    stepsPerEpoch: 1
    validate: { every: 0 }
    guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }
    losses:
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, connector: ${connector}, weight: 0.5 }
      - { type: losses.DecoupledHead, weight: 0.5 }
`,
  );
  return file;
}

describe.each([
  ['a YOLOv7-tiny', '{ type: yolov7.Model, scale: yolov7-tiny, seed: 5 }', 512],
  ['a YOLOv8s', '{ type: yolov8.Model, scale: s, seed: 5 }', 512],
])('distillation from %s teacher into a YOLOv5n student', (_name, teacher, teacherChannels) => {
  it("needs the connector (the P5 maps differ in channels) and trains a step with the feature and head terms", async () => {
    expect(await runCli(['validate', pipeline(teacher, 'none')], { io })).not.toBe(0);
    expect(box.err + box.out).toContain(`has 256 channels but teacher tap 'neck.2' has ${teacherChannels}`);
    box.clearOutput();
    expect(await runCli(['run', pipeline(teacher, 'auto')], { io })).toBe(0);
    const events = readFileSync(join(box.dir, 'runs', 'cross', 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; losses?: Record<string, number> });
    const step = events.find((event) => event.type === 'step');
    for (const term of ['ChannelWiseKL[neck.2]', 'DecoupledHead', 'native', 'gradNorm']) {
      const value = step?.losses?.[term];
      expect(Number.isFinite(value) && (value as number) > 0, term).toBe(true);
    }
  }, 240_000);
});
