/**
 * A bench child: training steps of the YOLOv5n-shaped probe network (160 px, batch 8) as the trainer
 * takes them: forward + backward (variableGrads), then the optimiser (Adam, clip 10).
 *   probe-step.ts <fused: 0|1> <optimizer: flat|tensor> <warm-up steps> <timed steps>
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, setFusedConvBnAct } from '@yolo-distill/backend';
import { ProbeNet, YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from '@yolo-distill/backend/probe-net';
import { createOptimizer, type OptimizerImplementation } from '@yolo-distill/trainer';
import { emitResult } from './child-output.js';
import { countKernelCalls } from './kernel-counter.js';
import { round } from './timing.js';

export interface StepSamples {
  readonly stepMs: number[];
  readonly kernelCalls: number[];
  readonly loadavg: { readonly before: number[]; readonly after: number[] };
}

const [fused, implementation, warmup, steps] = [process.argv[2] === '1', process.argv[3] as OptimizerImplementation, Number(process.argv[4] ?? 2), Number(process.argv[5] ?? 5)];
const before = loadavg();
await selectBackend('wasm');
setFusedConvBnAct(fused);
const kernelCalls = countKernelCalls();
const net = new ProbeNet(YOLOV5N_PROBE, 8, 160, YOLOV5N_PROBE_OUTPUTS, 7, { fused });
const variables = net.variables();
const optimizer = createOptimizer(variables, { type: 'adam', momentum: 0.9, nesterov: false, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4, implementation });
const images = tf.randomUniform([8, 160, 160, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
const samples: StepSamples = { stepMs: [], kernelCalls: [], loadavg: { before, after: [] } };
for (let step = 0; step < warmup + steps; step++) {
  const [started, calls] = [performance.now(), kernelCalls()];
  const { value, grads } = tf.variableGrads(() => net.loss(images), variables);
  optimizer.apply(variables.map((v) => grads[v.name]), 1e-3, 10);
  await value.data();
  tf.dispose([value, ...Object.values(grads)]);
  if (step >= warmup) {
    samples.stepMs.push(round(performance.now() - started));
    samples.kernelCalls.push(kernelCalls() - calls);
  }
}
samples.loadavg.after.push(...loadavg());
emitResult(samples);
