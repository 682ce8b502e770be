import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCalibrationCache } from '@yolo-distill/quantize';
import { readOnnxModel } from '@yolo-distill/yolo';
import { runCli } from './cli.js';
import type { CliIO } from './cli-io.js';
import { trainStudent } from './test-support/trained-students.js';

// `export --format tensorrt [--int8]` and `export --format npu --profile` on models trained a step on shapes.
let dir = '';
let out = '';
let err = '';
const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {} };
let v5 = '';

/**
 * A small YOLOv5-style model whose second conv has `width` channels and its C3 half of it: 32 is aligned
 * to 16, 24 is not (the YAML parser rounds widths to multiples of 8, as Ultralytics' make_divisible).
 * 11 classes: the head convs' 3 x (5 + 11) = 48 channels are aligned too.
 */
function modelYaml(width: number): string {
  return `nc: 11
scales:
  n: [1.0, 1.0, 1024]
anchors:
  - [10, 13, 16, 30, 33, 23]
  - [30, 61, 62, 45, 59, 119]
  - [116, 90, 156, 198, 373, 326]
backbone:
  - [-1, 1, Conv, [16, 3, 2]] # 0 /2
  - [-1, 1, Conv, [${width}, 3, 2]] # 1 /4
  - [-1, 1, C3, [${width}]] # 2
  - [-1, 1, Conv, [32, 3, 2]] # 3 /8
  - [-1, 1, Conv, [32, 3, 2]] # 4 /16
  - [-1, 1, Conv, [32, 3, 2]] # 5 /32
  - [-1, 1, SPPF, [32, 5]] # 6
head:
  - [[3, 4, 6], 1, Detect, [nc, anchors]] # 7
`;
}

/** One training step of the custom model, so that its run folder holds a checkpoint to export. */
async function trainCustom(width: number): Promise<string> {
  const name = `w${width}`;
  writeFileSync(join(dir, `${name}.model.yaml`), modelYaml(width));
  writeFileSync(
    join(dir, `${name}.yaml`),
    `name: ${name}
seed: 1
backend: wasm
runs: ${join(dir, 'runs')}
data: { type: data.Shapes, variant: fine, root: ${join(dir, 'shapes11')}, imgsz: 64, train: 4, val: 2, classes: 11, scale: [0.2, 0.4], seed: 3 }
student: { type: yolov5.Model, cfg: ${join(dir, `${name}.model.yaml`)}, seed: 1 }
stages:
  - { name: train, type: trainer.Train, epochs: 1, batch: 2, stepsPerEpoch: 1, validate: { every: 0 }, keepBest: false, schedule: { warmupEpochs: 0 } }
`,
  );
  expect(await runCli(['run', join(dir, `${name}.yaml`)], { io }), err).toBe(0);
  return join(dir, 'runs', name);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yd-export-targets-'));
  v5 = await trainStudent(dir, 'v5', io);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  out = '';
  err = '';
});

describe('yolo-distill export --format tensorrt', () => {
  it('writes a static ONNX, an EntropyCalibration2 cache of every float tensor and the trtexec line', async () => {
    const onnx = join(dir, 'v5.trt.onnx');
    expect(await runCli(['export', v5, '--format', 'tensorrt', '--int8', '--calib-images', '4', '--trt-version', '10.0.1', '--out', onnx], { io }), err).toBe(0);
    const calib = join(dir, 'v5.trt.calib');
    expect(out).toContain(`trtexec --onnx=${onnx} --int8 --calib=${calib} --saveEngine=${join(dir, 'v5.trt.int8.engine')}`);
    const model = await readOnnxModel(onnx);
    expect(model.inputs[0]?.dims).toEqual([1, 3, 64, 64]);
    const cache = parseCalibrationCache(readFileSync(calib, 'utf8'), calib);
    expect([cache.version, cache.calibrator]).toEqual([10001, 'EntropyCalibration2']);
    // The image input and every conv output have a positive scale; the image's is at most 1 / 127.
    for (const conv of model.nodes.filter((n) => n.opType === 'Conv')) expect(cache.scales.get(conv.outputs[0] as string)).toBeGreaterThan(0);
    expect(cache.scales.get('images')).toBeLessThanOrEqual(Math.fround(1 / 127));
  }, 120_000);

  it('refuses --dynamic and --int8 outside tensorrt', async () => {
    expect(await runCli(['export', v5, '--format', 'tensorrt', '--dynamic'], { io })).toBe(2);
    expect(err).toContain('--format tensorrt writes a static model');
    expect(await runCli(['export', v5, '--format', 'onnx', '--int8'], { io })).toBe(2);
    expect(err).toContain('--int8 belongs to --format tensorrt');
  });
});

describe('yolo-distill export --format npu', () => {
  it('flags every misaligned layer with its fix, and passes the same model with aligned widths', async () => {
    const misaligned = await trainCustom(24);
    const file = join(dir, 'w24.npu.onnx');
    out = '';
    expect(await runCli(['export', misaligned, '--format', 'npu', '--profile', 'ethos-u55-128', '--raw', '--out', file], { io }), err).toBe(1);
    const lines = out.split('\n').filter((line) => line.startsWith('  /'));
    expect(out).toContain(`ethos-u55-128: ${lines.length} violation(s) in`);
    expect(lines).toContain('  /model.1/conv/Conv: 24 output channels, not a multiple of 16 -> prune with roundTo: 16 (or widen to 32); a head conv\'s 24 = anchors x (5 + classes) or bins: pad the class count');
    expect(lines).toContain('  /model.2/cv1/conv/Conv: 24 input channels, not a multiple of 16 -> align the layer feeding it (prune with roundTo: 16, or widen to 32)');
    expect(lines.some((line) => line.startsWith('  /model.2/cv1/conv/Conv: 12 output channels'))).toBe(true);
    expect(lines.every((line) => line.includes('alignment') || line.includes('channels'))).toBe(true);
    expect(existsSync(`${file}.npu.json`)).toBe(true);
    // prune (issue 13) is not on main yet: the aligned model is built with the widths roundTo: 16 would give.
    const aligned = await trainCustom(32);
    out = '';
    expect(await runCli(['export', aligned, '--format', 'npu', '--profile', 'ethos-u55-128', '--raw', '--out', join(dir, 'w32.npu.onnx')], { io }), err).toBe(0);
    expect(out).toMatch(/ethos-u55-128: all 15 conv\(s\) and every op fit/);
  }, 240_000);

  it('names the profiles when --profile is missing or unknown', async () => {
    expect(await runCli(['export', v5, '--format', 'npu'], { io })).toBe(2);
    expect(err).toContain('--format npu needs --profile (tinpu, ethos-u55-256, ethos-u55-128)');
    expect(await runCli(['export', v5, '--format', 'npu', '--profile', 'hexagon'], { io })).toBe(2);
    expect(err).toContain("--profile must be one of tinpu, ethos-u55-256, ethos-u55-128, got 'hexagon'");
  });
});
