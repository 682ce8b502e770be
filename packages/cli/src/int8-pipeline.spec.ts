import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpointFolder } from '@yolo-distill/core';
import { LEARNED_RANGES_FILE, readLearnedRanges } from '@yolo-distill/quantize';
import { readOnnxModel } from '@yolo-distill/yolo';
import { runCli } from './cli.js';
import type { CliIO } from './cli-io.js';

// Quantization-aware distillation end to end: trainer.Distill with quantize.FakeQuant, the FP32 export,
// quantize.Int8 with the learned ranges (64 px shapes, a few steps, an untrained teacher).
let dir = '';
let out = '';
let err = '';
const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {} };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yd-int8-pipeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quantization-aware distillation through the CLI', () => {
  it('trains with fake quantization, keeps the observers in its checkpoints and puts the learned ranges into the QDQ model', async () => {
    const file = join(dir, 'qat.yaml');
    writeFileSync(
      file,
      `name: qat
seed: 3
backend: wasm
runs: ${join(dir, 'runs')}
data: { type: data.Shapes, root: ${join(dir, 'shapes')}, imgsz: 64, train: 8, val: 4, seed: 2 }
teacher: { type: yolov5.Model, scale: n, seed: 5 }
student: { type: yolov5.Model, scale: n, seed: 1 }
stages:
  - name: qat
    type: trainer.Distill
    epochs: 2
    batch: 4
    stepsPerEpoch: 2
    optimizer: { type: adam, lr: 0.002 }
    schedule: { warmupEpochs: 0 }
    validate: { every: 0 }
    keepBest: false
    guards: { untrainedTeacher: warn, weakTeacher: warn }
    transform: { type: quantize.FakeQuant, freezeAfter: 1 }
    losses:
      - { type: losses.DecoupledHead, weight: 1 }
  - { name: fp32, type: export.Onnx, parityImages: 2 }
  - { name: int8, type: quantize.Int8, ranges: fake-quant, calibration: { images: 2 }, compareImages: 2 }
`,
    );
    expect(await runCli(['run', file], { io }), err).toBe(0);
    const run = join(dir, 'runs', 'qat');
    const learned = await readLearnedRanges(join(run, LEARNED_RANGES_FILE));
    expect(learned).toMatchObject({ stage: '0-trainer.Distill', frozen: true });
    const fp32 = await readOnnxModel(join(run, 'export', 'yolov5n.onnx'));
    const kernels = fp32.nodes.filter((n) => n.opType === 'Conv').map((n) => n.inputs[1]);
    expect(Object.keys(learned.ranges).sort()).toEqual([...kernels].sort());
    const report = JSON.parse(readFileSync(join(run, 'quantize-2.json'), 'utf8')) as { out: string; layers: { weight: string; activation: { source: string; min: number; max: number } }[] };
    expect(report.out).toBe(join(run, 'export', 'yolov5n.int8-fake-quant.onnx'));
    expect(report.layers.every((l) => l.activation.source === 'learned')).toBe(true);
    const first = report.layers.find((l) => l.weight === 'model.0.conv.weight');
    expect([first?.activation.min, first?.activation.max]).toEqual([learned.ranges['model.0.conv.weight']?.min, learned.ranges['model.0.conv.weight']?.max]);
    // The stage's checkpoints carry every observer, so a resumed stage continues them.
    const last = await loadCheckpointFolder(join(run, 'checkpoints', '00-qat', 'last'));
    expect(Object.keys(last.tensors).filter((name) => name.includes('transform.observer.'))).toHaveLength(kernels.length);
    expect(out + err).toMatch(/quantize\.Int8: wrote .*yolov5n\.int8-fake-quant\.onnx \(\d+ conv\(s\) int8, 0 kept float; \d+ learned range\(s\)/);
  }, 240_000);
});
