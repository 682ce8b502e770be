import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.js';
import { convBnActTraining, type ExplicitPadding } from './conv-bn-act-training.js';
import type { FusedActivation } from './fused-activation.js';

const EPS = 1e-3;
const ACTIVATIONS: readonly FusedActivation[] = [{ kind: 'silu' }, { kind: 'leaky-relu', alpha: 0.1 }, { kind: 'relu' }, { kind: 'identity' }];

/** The same layer through autodiff of separate ops, as the yolo package's modules ran it before the fused op. */
function taped(x: tf.Tensor4D, filter: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, bias: tf.Tensor1D | undefined, stride: number, pad: ExplicitPadding, activation: FusedActivation): tf.Tensor4D {
  const conv = tf.conv2d(x, filter, stride, pad);
  const z = bias ? tf.add(conv, bias) : conv;
  const { mean, variance } = tf.moments(z, [0, 1, 2]);
  const n = tf.add(tf.mul(tf.sub(z, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, EPS)))), beta) as tf.Tensor4D;
  switch (activation.kind) {
    case 'silu':
      return tf.mul(n, tf.sigmoid(n));
    case 'leaky-relu':
      return tf.leakyRelu(n, activation.alpha);
    case 'relu':
      return tf.relu(n);
    case 'identity':
      return n;
  }
}

function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => Math.sqrt(tf.sum(tf.squaredDifference(actual, expected)).dataSync()[0]! / Math.max(tf.sum(tf.square(expected)).dataSync()[0]!, 1e-30)));
}

interface Case {
  readonly x: tf.Tensor4D;
  readonly filter: tf.Tensor4D;
  readonly gamma: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
  readonly bias?: tf.Tensor1D;
  readonly weights: tf.Tensor4D;
}

/** Inputs with a mean away from zero (as after a SiLU) and a random loss weighting of the output. */
function makeCase(stride: number, withBias: boolean, seed: number): Case {
  const out = stride === 1 ? 9 : 5;
  return {
    x: tf.randomNormal([2, 9, 9, 5], 0.4, 1, 'float32', seed) as tf.Tensor4D,
    filter: tf.randomNormal([3, 3, 5, 7], 0, 0.3, 'float32', seed + 1) as tf.Tensor4D,
    gamma: tf.randomUniform([7], 0.5, 1.5, 'float32', seed + 2) as tf.Tensor1D,
    beta: tf.randomNormal([7], 0, 0.3, 'float32', seed + 3) as tf.Tensor1D,
    ...(withBias ? { bias: tf.randomNormal([7], 0, 0.3, 'float32', seed + 4) as tf.Tensor1D } : {}),
    weights: tf.randomNormal([2, out, out, 7], 0, 1, 'float32', seed + 5) as tf.Tensor4D,
  };
}

const PAD: ExplicitPadding = [[0, 0], [1, 1], [1, 1], [0, 0]];

describe.each(['cpu', 'wasm'] as const)('convBnActTraining on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  describe.each(ACTIVATIONS.map((a) => [a.kind, a] as const))('%s', (_name, activation) => {
    it.each([
      [1, false],
      [1, true],
      [2, false],
      [2, true],
    ])('stride %i, bias %s: output and gradients (input, kernel, gamma, beta, bias) equal autodiff of the separate ops', (stride, withBias) => {
      const c = makeCase(stride, withBias, 10 * stride + (withBias ? 1 : 0));
      const inputs = c.bias ? [c.x, c.filter, c.gamma, c.beta, c.bias] : [c.x, c.filter, c.gamma, c.beta];
      const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, c.weights)) as tf.Scalar;
      const fusedOut = (a: tf.Tensor[]) =>
        convBnActTraining(a[0] as tf.Tensor4D, { filter: a[1] as tf.Tensor4D, gamma: a[2] as tf.Tensor1D, beta: a[3] as tf.Tensor1D, bias: a[4] as tf.Tensor1D | undefined }, { stride, pad: PAD, activation, eps: EPS });
      const tapedOut = (a: tf.Tensor[]) => taped(a[0] as tf.Tensor4D, a[1] as tf.Tensor4D, a[2] as tf.Tensor1D, a[3] as tf.Tensor1D, a[4] as tf.Tensor1D | undefined, stride, PAD, activation);
      const want = tf.grads((...a: tf.Tensor[]) => loss(tapedOut(a)))(inputs);
      const got = tf.grads((...a: tf.Tensor[]) => loss(fusedOut(a)))(inputs);
      const [y, yRef] = [fusedOut(inputs), tapedOut(inputs)];
      expect(relativeError(y, yRef)).toBeLessThan(1e-5);
      for (let i = 0; i < 4; i++) expect(relativeError(got[i]!, want[i]!), ['input', 'kernel', 'gamma', 'beta'][i]).toBeLessThan(1e-5);
      if (c.bias) {
        // The batch mean cancels the bias: the fused op returns exact zeros, autodiff rounding noise.
        expect(Array.from(got[4]!.dataSync())).toEqual(new Array(7).fill(0));
        const scale = Math.sqrt(tf.sum(tf.square(want[3]!)).dataSync()[0]!);
        expect(Math.max(...want[4]!.dataSync().map(Math.abs))).toBeLessThan(1e-5 * scale);
      }
      tf.dispose([...Object.values(c), ...want, ...got, y, yRef]);
    });
  });

  it('reports the batch mean and biased variance of the conv output (as tf.moments), and the count', () => {
    const c = makeCase(2, true, 3);
    const seen: { mean: number[]; variance: number[]; count: number }[] = [];
    const y = convBnActTraining(c.x, c, { stride: 2, pad: PAD, activation: { kind: 'silu' }, eps: EPS, onBatchStatistics: (mean, variance, count) => seen.push({ mean: Array.from(mean.dataSync()), variance: Array.from(variance.dataSync()), count }) });
    const want = tf.tidy(() => tf.moments(tf.add(tf.conv2d(c.x, c.filter, 2, PAD), c.bias as tf.Tensor1D), [0, 1, 2]));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.count).toBe(2 * 5 * 5);
    const wantMean = Array.from(want.mean.dataSync());
    const wantVariance = Array.from(want.variance.dataSync());
    seen[0]!.mean.forEach((v, i) => expect(v).toBeCloseTo(wantMean[i]!, 5));
    seen[0]!.variance.forEach((v, i) => expect(v).toBeCloseTo(wantVariance[i]!, 5));
    tf.dispose([...Object.values(c), y, want.mean, want.variance]);
  });

  it('computes no input gradient when only the weights want one (the first layer of a model), and leaks no tensor', () => {
    const c = makeCase(1, false, 5);
    const variables = [tf.variable(c.filter), tf.variable(c.gamma), tf.variable(c.beta)];
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.mul(convBnActTraining(c.x, { filter: variables[0] as tf.Tensor4D, gamma: variables[1] as tf.Tensor1D, beta: variables[2] as tf.Tensor1D }, { stride: 1, pad: PAD, activation: { kind: 'silu' }, eps: EPS }), c.weights)) as tf.Scalar,
          variables,
        );
        expect(Object.keys(grads)).toHaveLength(3);
        return value;
      });
    run().dispose();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) run().dispose();
    expect(tf.memory().numTensors).toBe(before);
    return tf.profile(() => run().dispose()).then((profile) => {
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain('Conv2DBackpropFilter');
      expect(names).not.toContain('Conv2DBackpropInput');
      tf.dispose([...Object.values(c), ...variables]);
    });
  });
});
