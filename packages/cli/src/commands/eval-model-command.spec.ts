import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../cli.js';
import type { CliIO } from '../cli-io.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

let root: string;
let out = '';
let err = '';
const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {} };

/** A YOLO dataset of two 200x100 images with `classes` names and one box each. */
async function dataset(classes: number): Promise<string> {
  const folder = join(root, `data-${classes}`);
  for (const split of ['train', 'val']) {
    mkdirSync(join(folder, 'images', split), { recursive: true });
    mkdirSync(join(folder, 'labels', split), { recursive: true });
    for (const name of ['a', 'b']) {
      await sharp({ create: { width: 200, height: 100, channels: 3, background: name === 'a' ? '#808080' : '#204060' } }).png().toFile(join(folder, 'images', split, `${name}.png`));
      writeFileSync(join(folder, 'labels', split, `${name}.txt`), '0 0.5 0.5 0.3 0.4\n');
    }
  }
  writeFileSync(join(folder, 'data.yaml'), `path: .\ntrain: images/train\nval: images/val\nnames: [${Array.from({ length: classes }, (_, i) => `c${i}`).join(', ')}]\n`);
  return folder;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'yd-evalmodel-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('yolo-distill eval <model.onnx> --data', () => {
  it.each([
    ['yolov5n', 80],
    ['yolov8n', 4],
  ] as const)('runs the %s export on a dataset split and reports COCO mAP in [0, 1] as JSON', async (model, classes) => {
    const data = await dataset(classes);
    expect(await runCli(['eval', join(fixtures, `${model}.onnx`), '--data', data, '--json'], { io })).toBe(0);
    const report = JSON.parse(out) as { imageSize: number; map: number; map50: number; images: number; instances: number };
    expect(report.imageSize).toBe(160);
    expect(report.images).toBe(2);
    expect(report.instances).toBe(2);
    expect(report.map50).toBeGreaterThanOrEqual(0);
    expect(report.map50).toBeLessThanOrEqual(1);
  });

  it('says when the model and the dataset disagree on the class count (exit 2)', async () => {
    const data = await dataset(3);
    expect(await runCli(['eval', join(fixtures, 'yolov5n.onnx'), '--data', data], { io })).toBe(2);
    expect(err).toContain('fits neither [1, N, 5 + 3] nor [1, 4 + 3, N]');
  });

  it('needs a model or --predictions, not both and not neither', async () => {
    const data = await dataset(3);
    expect(await runCli(['eval', '--data', data], { io })).toBe(2);
    expect(err).toContain('eval needs a model');
  });
});
