/**
 * The backend benchmark (`npm run bench -w @yolo-distill/backend`): per-kernel times for the conv
 * shapes of a YOLOv5n at 160 px, batch 8, and one full training step (forward + backward + Adam),
 * with our wasm kernels, with the missing ones done in plain JS (the state before), and in PyTorch
 * on the same cores when it is installed. Prints JSON; `--out FILE` also writes it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/select-backend.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../src/kernels/register-wasm-training-kernels.js';
import { fusedConvBnActEnabled } from '../src/ops/fused-training-switch.js';
import { ProbeNet, YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from '../src/test-support/yolov5n-probe-net.js';
import { timeConvShapes } from './kernel-shapes.js';
import { plainJsFallback } from './plain-js-fallback.js';
import { timePytorch } from './pytorch.js';
import { round } from './timing.js';

const BATCH = 8;
const SIZE = 160;
const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const steps = Number(process.env['BENCH_STEPS'] ?? 5);
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timeTrainingSteps(count: number): Promise<number[]> {
  const net = new ProbeNet(YOLOV5N_PROBE, BATCH, SIZE, YOLOV5N_PROBE_OUTPUTS, 7);
  const optimizer = tf.train.adam(1e-3);
  const images = tf.randomUniform([BATCH, SIZE, SIZE, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const times: number[] = [];
  for (let step = 0; step < count + 1; step++) {
    const started = performance.now();
    const loss = optimizer.minimize(() => net.loss(images), true, net.variables());
    await loss?.data();
    loss?.dispose();
    if (step > 0) times.push(round(performance.now() - started));
  }
  optimizer.dispose();
  images.dispose();
  net.dispose();
  return times;
}

// The stock wasm Conv2DBackpropInput, kept to show why it is replaced.
const stockBackpropInput = getKernel('Conv2DBackpropInput', 'wasm');
const backend = await selectBackend('wasm');
// Registered too late for the backend's own init, the stock kernel binds its wasm function here.
stockBackpropInput?.setupFunc?.(tf.backend());
const probe = new ProbeNet(YOLOV5N_PROBE, BATCH, SIZE, YOLOV5N_PROBE_OUTPUTS, 7);
const parameters = probe.parameterCount();
const shapes = probe.convShapes;
probe.dispose();

const kernels = await timeConvShapes(shapes, 15, stockBackpropInput ? (dy, w, s) => {
  registerWasmTrainingKernels([stockBackpropInput]);
  try {
    return tf.conv2dTranspose(dy, w, s.input, s.stride, s.pad === 0 ? 'valid' : ([[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]] as unknown as 'valid'));
  } finally {
    registerWasmTrainingKernels(WASM_TRAINING_KERNELS.filter((k) => k.kernelName === 'Conv2DBackpropInput'));
  }
} : undefined);

const ours = await timeTrainingSteps(steps);

// Before: no Conv2DBackpropFilter / depthwise gradients on wasm (here: the cpu backend's loops), stock backprop-input.
registerWasmTrainingKernels([
  plainJsFallback('Conv2DBackpropFilter'),
  plainJsFallback('DepthwiseConv2dNativeBackpropFilter'),
  plainJsFallback('DepthwiseConv2dNativeBackpropInput'),
  ...(stockBackpropInput ? [stockBackpropInput] : []),
]);
const before = await timeTrainingSteps(Math.max(2, Math.floor(steps / 2)));
registerWasmTrainingKernels();

const threads = cpus().length;
const pytorch = timePytorch({ layers: YOLOV5N_PROBE, outputs: YOLOV5N_PROBE_OUTPUTS, batch: BATCH, size: SIZE, threads, steps });
const oursMs = median(ours);
const report = {
  benchmark: 'backend: conv kernels and one training step of a YOLOv5n-shaped Conv-BN-SiLU network',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: threads, memoryGiB: round(totalmem() / 2 ** 30, 1), os: `${process.platform} ${release()}`, node: process.version },
  backend: backend.describe(),
  wasmThreads: {
    used: backend.threads,
    why: 'tfjs-backend-wasm 4.22 reports no multithread support under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue 3830); forcing the flag fails: its pthread workers are created from a blob: URL, which Node worker_threads refuses (ERR_WORKER_PATH).',
  },
  network: { input: [BATCH, SIZE, SIZE, 3], parameters, convLayers: shapes.length, fusedConvBnAct: fusedConvBnActEnabled() },
  kernels: {
    note: 'median ms over 15 repeats; every repeat gets a fresh filter, as after an optimiser step; ratios are to the forward conv of the same shape',
    maxInputRatio: Math.max(...kernels.map((row) => row.inputRatio)),
    maxFilterRatio: Math.max(...kernels.map((row) => row.filterRatio)),
    totals: {
      forwardMs: round(kernels.reduce((s, r) => s + r.forwardMs, 0)),
      backpropInputMs: round(kernels.reduce((s, r) => s + r.backpropInputMs, 0)),
      backpropFilterMs: round(kernels.reduce((s, r) => s + r.backpropFilterMs, 0)),
      stockBackpropInputMs: round(kernels.reduce((s, r) => s + (r.stockBackpropInputMs ?? 0), 0)),
    },
    rows: kernels,
  },
  trainingStep: {
    wasmOurKernelsMs: { median: oursMs, samples: ours },
    wasmPlainJsFallbackMs: { median: median(before), samples: before },
    speedupOverFallback: round(median(before) / oursMs),
    pytorch: 'skipped' in pytorch ? pytorch : { ...pytorch, medianMs: round(median(pytorch.stepMs)), ratioTfjsToPytorch: round(oursMs / median(pytorch.stepMs)) },
  },
};
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (outFile) writeFileSync(outFile, `${json}\n`);
