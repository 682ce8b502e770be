import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';
import { ULTRALYTICS_FIXTURES as fixtures } from '@yolo-distill/core/testing';

const box = cliSandbox('yd-models-');
const io = box.io;

describe('pipelines that name YOLO models', () => {
  it('validates a v8 teacher from an Ultralytics ONNX export and a fresh v5 student, taking classes from the data', async () => {
    const file = join(box.dir, 'p.yaml');
    writeFileSync(
      file,
      `name: models
backend: wasm
runs: ${join(box.dir, 'runs')}
data: { type: data.Shapes, root: ${join(box.dir, 'shapes')}, classes: 4, train: 4, val: 2 }
teacher: { type: yolov8.Model, scale: n, weights: ${join(fixtures, 'yolov8n.onnx')} }
student: { type: yolov5.Model, scale: n }
stages:
  - { type: data.Check }
`,
    );
    expect(await runCli(['validate', file], { io })).toBe(0);
    expect(box.out).toMatch(/teacher\s+yolov8\.Model\s+scale=n weights=.*yolov8n\.onnx seed=0/);
    expect(box.out).toMatch(/student\s+yolov5\.Model\s+scale=n seed=0/);
    expect(box.out).toContain('ok: 4 plugins built on the wasm backend');
    expect(existsSync(join(box.dir, 'runs'))).toBe(false);
  });

  it('reports a v5 export given to the v8 adapter with exit code 2, the place and the file', async () => {
    const file = join(box.dir, 'p.yaml');
    writeFileSync(file, `backend: wasm\nstudent:\n  type: yolov8.Model\n  classes: 80\n  weights: ${join(fixtures, 'yolov5n.onnx')}\nstages:\n  - { type: data.Check }\n`);
    expect(await runCli(['validate', file], { io })).toBe(2);
    expect(box.err).toMatch(/p\.yaml:3:3: student: cannot build yolov8\.Model: .*yolov5n\.onnx/);
  });
});
