import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, setFusedConvBnAct } from '@yolo-distill/backend';
import type { Activation } from './activation.js';
import { bottleneckModule } from './bottleneck.js';
import { buildModule, type BuiltModule } from './build-module.test.js';
import { c2fModule } from './c2f.js';
import { c3Module } from './c3.js';
import { convModule } from './conv.js';
import { dflDetectModule } from './detect-dfl.js';
import type { ModuleDefinition } from './module-entry.js';
import { sppModule } from './spp.js';
import { sppfModule, ultralyticsSppfModule } from './sppf.js';

interface ModuleCase {
  readonly name: string;
  readonly build: (activation: Activation) => BuiltModule;
  /** NHWC input shapes, one per input map. */
  readonly inputs: readonly (readonly [number, number, number, number])[];
}

const build = <A,>(entry: ModuleDefinition<A>, args: readonly unknown[], channels: readonly number[], options: Parameters<typeof buildModule>[3] = {}) => (activation: Activation) =>
  buildModule(entry, args, channels, { seed: 4, ...options, activation });

const CASES: readonly ModuleCase[] = [
  { name: 'Conv k3 s1', build: build(convModule, [8, 3, 1], [6]), inputs: [[2, 8, 8, 6]] },
  { name: 'Conv k3 s2', build: build(convModule, [8, 3, 2], [6]), inputs: [[2, 8, 8, 6]] },
  { name: 'Conv k6 s2 p2 (the v5 stem)', build: build(convModule, [8, 6, 2, 2], [3]), inputs: [[2, 12, 12, 3]] },
  { name: 'Bottleneck', build: build(bottleneckModule, [8], [8]), inputs: [[2, 6, 6, 8]] },
  { name: 'C3 (n=2, shortcut)', build: build(c3Module, [8, true], [6], { repeats: 2 }), inputs: [[2, 6, 6, 6]] },
  { name: 'C2f (n=2)', build: build(c2fModule, [8, true], [6], { repeats: 2 }), inputs: [[2, 6, 6, 6]] },
  { name: 'SPPF (yolov5)', build: build(sppfModule, [8, 5], [8]), inputs: [[2, 7, 7, 8]] },
  { name: 'SPPF (Ultralytics, linear cv1)', build: build(ultralyticsSppfModule, [8, 5], [8]), inputs: [[2, 7, 7, 8]] },
  { name: 'SPP', build: build(sppModule, [8, [3, 5]], [8]), inputs: [[2, 7, 7, 8]] },
  { name: 'Detect (DFL) input convs', build: build(dflDetectModule, [3, 4], [8, 16], { strides: [8, 16] }), inputs: [[2, 6, 6, 8], [2, 3, 3, 16]] },
];

const ACTIVATIONS: readonly [string, Activation][] = [
  ['SiLU', { kind: 'silu' }],
  ['LeakyReLU(0.1)', { kind: 'leaky-relu', alpha: 0.1 }],
];

function forward(module: BuiltModule, inputs: readonly tf.Tensor4D[]): tf.Tensor4D[] {
  const { instance } = module;
  return instance.kind === 'layer' ? [instance.forward(inputs, { training: true })] : instance.forward(inputs, { training: true });
}

function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => Math.sqrt(tf.sum(tf.squaredDifference(actual, expected)).dataSync()[0]! / Math.max(tf.sum(tf.square(expected)).dataSync()[0]!, 1e-30)));
}

const norm = (t: tf.Tensor): number => tf.tidy(() => Math.sqrt(tf.sum(tf.square(t)).dataSync()[0]!));
const distance = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => Math.sqrt(tf.sum(tf.squaredDifference(a, b)).dataSync()[0]!));

interface StepResult {
  readonly outputs: tf.Tensor[];
  /** Gradients of the input maps, then of every trainable parameter in definition order. */
  readonly gradients: tf.Tensor[];
  readonly runningStats: tf.Tensor[];
  readonly kernels: readonly string[];
}

/** One training-mode forward and backward from the same parameters and running statistics. */
async function trainingStep(module: BuiltModule, inputs: readonly tf.Tensor4D[], weights: readonly tf.Tensor[], fused: boolean): Promise<StepResult> {
  const running = module.params.list().filter((p) => p.role === 'running-stat');
  const initial = running.map((p) => p.variable.clone());
  const trainable = module.params.list().filter((p) => p.role === 'trainable').map((p) => p.variable);
  setFusedConvBnAct(fused);
  try {
    let result: Omit<StepResult, 'kernels'> | undefined;
    const profile = await tf.profile(() => {
      const outputs = tf.tidy(() => forward(module, inputs));
      running.forEach((p, i) => p.variable.assign(initial[i]!));
      const gradients = tf.grads((...xs: tf.Tensor[]) => tf.addN(forward(module, xs.slice(0, inputs.length) as tf.Tensor4D[]).map((y, i) => tf.sum(tf.mul(y, weights[i]!)))))([...inputs, ...trainable]);
      result = { outputs, gradients, runningStats: running.map((p) => p.variable.clone()) };
    });
    running.forEach((p, i) => p.variable.assign(initial[i]!));
    tf.dispose(initial);
    return { ...(result as Omit<StepResult, 'kernels'>), kernels: profile.kernels.map((k) => k.name) };
  } finally {
    setFusedConvBnAct(undefined);
  }
}

/** Random BN affine parameters, so that gamma = 1 and beta = 0 hide nothing. */
function randomiseBatchNorm(module: BuiltModule): void {
  module.params.list().forEach((p, i) => {
    if (p.name.endsWith('bn.weight')) tf.tidy(() => p.variable.assign(tf.randomUniform(p.variable.shape, 0.5, 1.5, 'float32', 100 + i)));
    if (p.name.endsWith('bn.bias')) tf.tidy(() => p.variable.assign(tf.randomNormal(p.variable.shape, 0, 0.3, 'float32', 200 + i)));
  });
}

describe.each(['cpu', 'wasm'] as const)('fused Conv-BN-act training on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  describe.each(ACTIVATIONS)('%s', (_name, activation) => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s: outputs, gradients (inputs, kernels, gammas, betas) and running statistics equal the autodiff path', async (_label, moduleCase) => {
      const module = moduleCase.build(activation);
      randomiseBatchNorm(module);
      const inputs = moduleCase.inputs.map((shape, i) => tf.randomNormal([...shape], 0.3, 1, 'float32', 10 + i) as tf.Tensor4D);
      const outputShapes = tf.tidy(() => forward(module, inputs).map((y) => y.shape));
      const weights = outputShapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 20 + i));
      const taped = await trainingStep(module, inputs, weights, false);
      const fused = await trainingStep(module, inputs, weights, true);

      expect(taped.kernels).not.toContain('ConvBnActTraining');
      expect(fused.kernels).toContain('ConvBnActTraining');
      expect(fused.outputs).toHaveLength(taped.outputs.length);
      fused.outputs.forEach((y, i) => expect(relativeError(y, taped.outputs[i]!)).toBeLessThan(1e-5));
      const trainable = module.params.list().filter((p) => p.role === 'trainable');
      const names = [...inputs.map((_, i) => `input ${i}`), ...trainable.map((p) => p.name)];
      expect(fused.gradients).toHaveLength(names.length);
      // Relative to each gradient's size, with a floor for gradients that are zero in exact arithmetic
      // and rounding noise in both paths (a linear BN whose shift the next BN's batch mean removes).
      const floor = 1e-6 * Math.max(...taped.gradients.map(norm));
      fused.gradients.forEach((g, i) => expect(distance(g, taped.gradients[i]!), names[i]).toBeLessThan(1e-5 * norm(taped.gradients[i]!) + floor));
      expect(fused.runningStats.length).toBeGreaterThan(0);
      fused.runningStats.forEach((s, i) => expect(relativeError(s, taped.runningStats[i]!)).toBeLessThan(1e-6));

      tf.dispose([...inputs, ...weights, ...taped.outputs, ...taped.gradients, ...taped.runningStats, ...fused.outputs, ...fused.gradients, ...fused.runningStats]);
      module.params.dispose();
    });
  });

  it('leaks no tensor: numTensors stays flat over training steps of a C3', () => {
    const module = build(c3Module, [8, true], [6], { repeats: 2 })({ kind: 'silu' });
    const input = tf.randomNormal([2, 6, 6, 6], 0, 1, 'float32', 1) as tf.Tensor4D;
    const trainable = module.params.list().filter((p) => p.role === 'trainable').map((p) => p.variable);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forward(module, [input])[0]!)) as tf.Scalar, trainable);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      step();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    input.dispose();
    module.params.dispose();
  });
});
