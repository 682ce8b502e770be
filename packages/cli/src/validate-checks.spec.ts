import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

// What validate catches before any training time is spent: the data as `data check` reads it, and a
// teacher that predicts other classes than the student, named as such even with a head loss.
const box = cliSandbox('yd-validate-');

async function dataset(root: string, train: number): Promise<void> {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90, g: 40, b: 200 } } }).png().toBuffer();
  for (const [split, count] of [['train', train], ['val', 1]] as const) {
    mkdirSync(join(root, 'images', split), { recursive: true });
    mkdirSync(join(root, 'labels', split), { recursive: true });
    for (let i = 0; i < count; i++) {
      writeFileSync(join(root, 'images', split, `${i}.png`), png);
      writeFileSync(join(root, 'labels', split, `${i}.txt`), '0 0.5 0.5 0.25 0.25\n');
    }
  }
  writeFileSync(join(root, 'data.yaml'), 'path: .\ntrain: images/train\nval: images/val\nnames: [a, b]\n');
}

function pipeline(root: string, teacher = ''): string {
  const file = join(box.dir, 'p.yaml');
  writeFileSync(
    file,
    `name: v\nbackend: wasm\nruns: ${join(box.dir, 'runs')}\ndata: { type: data.YoloDataset, root: ${root}, imgsz: 64 }\n${teacher}student: { type: yolov5.Model, scale: n }\n` +
      'stages:\n  - { type: trainer.Distill, epochs: 1, losses: [{ type: losses.DecoupledHead }] }\n',
  );
  return file;
}

describe('validate', () => {
  it('fails on a truncated image that data check finds (exit 2, the file named), and passes once it is whole', async () => {
    const root = join(box.dir, 'data');
    await dataset(root, 3);
    const whole = readFileSync(join(root, 'images', 'train', '1.png'));
    writeFileSync(join(root, 'images', 'train', '1.png'), whole.subarray(0, whole.length - 20));
    const file = pipeline(root, 'teacher: { type: yolov5.Model, scale: n, seed: 3 }\n');
    expect(await runCli(['validate', file, '--no-dry-run'], { io: box.io })).toBe(2);
    expect(box.err).toMatch(new RegExp(`error: the dataset ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has 1 problem:\\n {2}images/train/1\\.png: cannot read image: `));
    writeFileSync(join(root, 'images', 'train', '1.png'), whole);
    box.clearOutput();
    expect(await runCli(['validate', file, '--no-dry-run'], { io: box.io }), box.err).toBe(0);
    expect(box.out).toContain(`data: ${root}: 3 train / 1 val images, no problems`);
  }, 60_000);

  it('fails on an empty training split before training', async () => {
    const root = join(box.dir, 'empty');
    await dataset(root, 0);
    expect(await runCli(['validate', pipeline(root, 'teacher: { type: yolov5.Model, scale: n, seed: 3 }\n'), '--no-dry-run'], { io: box.io })).toBe(2);
    expect(box.err).toContain('data.yaml: the train split has no images: nothing to train on');
  }, 60_000);

  it('names a teacher/student class mismatch as such, at the teacher, even with a head loss', async () => {
    const root = join(box.dir, 'data');
    await dataset(root, 2);
    const file = pipeline(root, `teacher: { type: onnx.Teacher, file: ${join(fixtures, 'yolov5n.onnx')} }\n`);
    expect(await runCli(['validate', file], { io: box.io })).toBe(2);
    expect(box.err.trim()).toBe(`${file}:5:10: teacher: the teacher predicts 80 classes, the student 2: they must be trained on the same classes (give the student classes: 80, or a teacher of these 2 classes)`);
  }, 60_000);
});
