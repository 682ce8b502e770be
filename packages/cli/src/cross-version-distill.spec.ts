import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnoseReport } from '@yolo-distill/core';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

// Head distillation across head kinds: an anchor-free (v8) teacher and an anchor-based (v5) student,
// and back; the head loss maps the teacher's predictions per location (losses/src/head/teacher-targets.ts).
const box = cliSandbox('yd-cross-');
const io = box.io;

function pipeline(teacher: string, student: string): string {
  const file = join(box.dir, 'cross.yaml');
  writeFileSync(
    file,
    `name: cross
seed: 3
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, imgsz: 64, train: 16, val: 8, seed: 2 }
teacher: { type: ${teacher}, scale: n, seed: 5 }
student: { type: ${student}, scale: n, seed: 1 }
stages:
  - name: distill
    type: trainer.Distill
    epochs: 1
    batch: 8
    stepsPerEpoch: 1
    validate: { every: 0 }
    guards: { untrainedTeacher: warn, weakTeacher: warn, compareTeacher: false }
    losses:
      - { type: losses.ChannelWiseKL, student: neck.2, teacher: neck.2, weight: { relative: 0.2 } }
      - { type: losses.DecoupledHead, weight: { relative: 0.5 } }
`,
  );
  return file;
}

describe.each([
  ['yolov8.Model', 'yolov5.Model', ['cls', 'box', 'obj']],
  ['yolov5.Model', 'yolov8.Model', ['cls', 'box', 'dfl']],
])('distillation from a %s teacher into a %s student', (teacher, student, parts) => {
  it('measures every term (finite, calibrated to its ratio) and trains a step', async () => {
    const file = pipeline(teacher, student);
    expect(await runCli(['diagnose', file, '--batches', '1', '--json'], { io })).toBe(0);
    const report = JSON.parse(box.out) as DiagnoseReport;
    const head = report.terms.find((t) => t.name === 'DecoupledHead');
    expect(head?.ratio).toBeCloseTo(0.5, 3);
    expect(Object.keys(head?.parts ?? {})).toEqual(expect.arrayContaining(parts));
    for (const term of report.terms) expect(Number.isFinite(term.value) && Number.isFinite(term.gradNorm) && term.gradNorm > 0).toBe(true);
    expect(await runCli(['run', file], { io })).toBe(0);
    const events = readFileSync(join(box.dir, 'runs', 'cross', 'events.jsonl'), 'utf8');
    expect(events).toMatch(/"DecoupledHead":\d/);
  }, 240_000);
});
