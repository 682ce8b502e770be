import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.js';
import { activationGradient, applyFusedActivation, type FusedActivation } from './fused-activation.js';

const TAPED: Record<FusedActivation['kind'], (n: tf.Tensor4D, activation: FusedActivation) => tf.Tensor> = {
  silu: (n) => tf.mul(n, tf.sigmoid(n)),
  'leaky-relu': (n, a) => tf.leakyRelu(n, a.kind === 'leaky-relu' ? a.alpha : 0),
  relu: (n) => tf.relu(n),
  identity: (n) => n,
};

describe.each(['cpu', 'wasm'] as const)('fused activations on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it.each<[string, FusedActivation]>([
    ['silu', { kind: 'silu' }],
    ['leaky-relu', { kind: 'leaky-relu', alpha: 0.1 }],
    ['relu', { kind: 'relu' }],
    ['identity', { kind: 'identity' }],
  ])('%s: value of act(z * scale + shift) and its gradient at the BN output equal autodiff (zeros included)', (_name, activation) => {
    // Channel 2 is all zeros after the affine map: the kink of the ReLUs.
    const z = tf.tensor4d([-2, 1, 3, 0.5, 2, -1, -0.3, 4, 0, 1.5, -4, 7], [1, 2, 2, 3]);
    const scale = tf.tensor1d([1.5, -0.5, 0]);
    const shift = tf.tensor1d([0.2, 0.1, 0]);
    const dy = tf.tensor4d([1, -2, 3, 0.5, 1, 1, -1, 2, 4, 0.25, -3, 2], [1, 2, 2, 3]);
    const n = tf.add(tf.mul(z, scale), shift) as tf.Tensor4D;
    const { value, saved } = applyFusedActivation(z, scale, shift, activation);
    const want = TAPED[activation.kind](n, activation);
    const wantGradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(TAPED[activation.kind](x as tf.Tensor4D, activation), dy)))(n);
    const got = Array.from(value.dataSync());
    Array.from(want.dataSync()).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    const gradient = Array.from(activationGradient(dy, activation, saved).dataSync());
    Array.from(wantGradient.dataSync()).forEach((v, i) => expect(gradient[i]).toBeCloseTo(v, 6));
    tf.dispose([z, scale, shift, dy, n, value, ...saved, want, wantGradient]);
  });
});
