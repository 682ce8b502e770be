import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';
import { cliSandbox } from './test-support/cli-sandbox.js';

// Every ready pipeline in configs/ validates offline. A distill config without its TEACHER says how to
// make one; the teacher config it names makes it (1 step here), and then the distill config validates
// with a dry run of teacher, student and losses.
const configs = fileURLToPath(new URL('../../../configs/', import.meta.url));
const box = cliSandbox('yd-configs-');

const DISTILL: Record<string, { teacher: string; onnx: string }> = {
  'distill-v5s-v5n': { teacher: 'teacher-v5s', onnx: 'yolov5s.onnx' },
  'distill-v5l-v5s': { teacher: 'teacher-v5l', onnx: 'yolov5l.onnx' },
  'distill-v8s-v8n': { teacher: 'teacher-v8s', onnx: 'yolov8s.onnx' },
  'distill-progressive': { teacher: 'teacher-v5s', onnx: 'yolov5s.onnx' },
};
const STANDALONE = ['quickstart', 'tiny-distill', 'teacher-v5s', 'teacher-v5l', 'teacher-v8s', 'int8-ptq', 'int8-qat-distill', 'prune-v5n', 'prune-tiny'];
/** The committed benchmark checkpoints some configs default to (relative to the workspace, where users run them). */
const ASSETS = fileURLToPath(new URL('../../../benchmarks/assets/', import.meta.url));

function environment(extra: Record<string, string> = {}): Record<string, string> {
  return { DATA: join(box.dir, 'shapes'), IMGSZ: '64', STUDENT_WEIGHTS: join(ASSETS, 'fine128-student-v5n-r2'), TEACHER_WEIGHTS: join(ASSETS, 'fine128-teacher-v5s-r2'), ...extra };
}

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  box.clearOutput();
  return runCli(args, { io: { ...box.io, env } });
}

const local = (file: string) => ['--set', `runs=${join(box.dir, 'runs')}`, '--set', 'backend=wasm', ...(['quickstart', 'tiny-distill', 'prune-tiny'].includes(file) ? ['--set', `data.root=${join(box.dir, file)}`] : [])];

describe('configs/', () => {
  it('has a test for every pipeline in it', () => {
    const files = readdirSync(configs).filter((name) => name.endsWith('.yaml')).map((name) => name.replace(/\.yaml$/, ''));
    expect(files.sort()).toEqual([...STANDALONE, ...Object.keys(DISTILL)].sort());
  });

  it.each(STANDALONE)('%s validates offline as it is', async (name) => {
    const code = await cli(['validate', join(configs, `${name}.yaml`), ...local(name)], environment());
    expect({ code, err: box.err }).toEqual({ code: 0, err: '' });
    expect(box.out).toMatch(/ok: \d+ plugins built/);
  });

  it.each(Object.entries(DISTILL))('%s without TEACHER says how to make one; with the teacher its config makes, it validates with a dry run', async (name, { teacher, onnx }) => {
    expect(await cli(['validate', join(configs, `${name}.yaml`), ...local(name)], environment())).toBe(2);
    expect(box.err).toContain(`TEACHER is not set: the teacher as an ONNX export at IMGSZ`);
    expect(box.err).toContain(`make one here with npx yolo-distill run configs/${teacher}.yaml and then set TEACHER=runs/${teacher}/export/${onnx}`);

    const oneStep = ['--set', 'stages[0].epochs=1', '--set', 'stages[0].stepsPerEpoch=1', '--set', 'stages[0].batch=4', '--set', 'stages[0].validate.every=0', '--set', 'stages[1].parityImages=1'];
    expect(await cli(['run', join(configs, `${teacher}.yaml`), ...local(teacher), ...oneStep, '--quiet'], environment()), box.err).toBe(0);
    const extra: Record<string, string> = { TEACHER: join(box.dir, 'runs', teacher, 'export', onnx) };
    if (name === 'distill-progressive') {
      expect(await cli(['run', join(configs, 'teacher-v5s.yaml'), ...local(teacher), ...oneStep, '--set', 'name=student-v5n', '--set', 'student.scale=n', '--quiet'], environment()), box.err).toBe(0);
      extra['STUDENT_WEIGHTS'] = join(box.dir, 'runs', 'student-v5n', 'checkpoints', '00-train', 'stage-end');
    }
    const code = await cli(['validate', join(configs, `${name}.yaml`), ...local(name)], environment(extra));
    expect({ code, err: box.err }).toEqual({ code: 0, err: '' });
    expect(box.out).toMatch(/dry run of [a-z-]+: \d loss\(es\) computed on a blank 64x64 batch/);
  }, 240_000);
});
