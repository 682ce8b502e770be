/**
 * A bench child: per-kernel times for the conv shapes of the probe network (a YOLOv5n at 160 px,
 * batch 8): forward, our input and filter gradients, the stock wasm input gradient. With
 * BENCH_FALLBACK=1 also one training step with the missing gradient kernels done in plain JS (the
 * state before the wasm kernels; minutes per step).
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels, selectBackend, WASM_TRAINING_KERNELS } from '@yolo-distill/backend';
import { ProbeNet, YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from '@yolo-distill/backend/probe-net';
import { emitResult } from './child-output.js';
import { timeConvShapes } from './kernel-shapes.js';
import { plainJsFallback } from './plain-js-fallback.js';
import { round } from './timing.js';

const BATCH = 8;
const SIZE = 160;

async function timeTfjsAdamSteps(count: number): Promise<number[]> {
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

let fallback: { stepMs: number[] } | { skipped: string };
if (process.env['BENCH_FALLBACK'] === '1') {
  // Before: no Conv2DBackpropFilter / depthwise gradients on wasm (here: the cpu backend's loops), stock backprop-input.
  registerWasmTrainingKernels([
    plainJsFallback('Conv2DBackpropFilter'),
    plainJsFallback('DepthwiseConv2dNativeBackpropFilter'),
    plainJsFallback('DepthwiseConv2dNativeBackpropInput'),
    ...(stockBackpropInput ? [stockBackpropInput] : []),
  ]);
  fallback = { stepMs: await timeTfjsAdamSteps(2) };
  registerWasmTrainingKernels();
} else {
  fallback = { skipped: 'BENCH_FALLBACK=1 runs it (minutes per step; 185.7 s when last run, against 945 ms with our kernels then)' };
}

emitResult({
  backend: backend.describe(),
  threads: backend.threads,
  network: { input: [BATCH, SIZE, SIZE, 3], parameters, convLayers: shapes.length },
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
  plainJsFallbackStep: fallback,
});
