import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { StoredTensor } from '@yolo-distill/core';
import { createOptimizer, type OptimizerConfig } from './create-optimizer.js';
import type { Optimizer } from './optimizer.js';

/**
 * The flat optimisers against the tensor-op ones they replace (a second implementation), step for step:
 * same parameters, same slots, same gradient norm, with and without clipping, on the cpu and wasm
 * backends; and checkpoints that either implementation resumes from.
 */

const BASE: Omit<OptimizerConfig, 'type'> = { momentum: 0.9, nesterov: false, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

const CASES: readonly { name: string; config: OptimizerConfig; lr: number }[] = [
  { name: 'SGD with Nesterov momentum and weight decay', config: { ...BASE, type: 'sgd', momentum: 0.937, nesterov: true, weightDecay: 5e-4 }, lr: 0.01 },
  { name: 'SGD with heavy-ball momentum and weight decay', config: { ...BASE, type: 'sgd', momentum: 0.9, weightDecay: 5e-3 }, lr: 0.02 },
  { name: 'plain SGD with weight decay', config: { ...BASE, type: 'sgd', momentum: 0, weightDecay: 1e-2 }, lr: 0.05 },
  { name: 'Adam with L2 weight decay', config: { ...BASE, type: 'adam', momentum: 0.937, weightDecay: 5e-4 }, lr: 1e-3 },
  { name: 'AdamW', config: { ...BASE, type: 'adamw', weightDecay: 0.05 }, lr: 2e-3 },
];

/**
 * A small conv block with its own seeded values: conv kernel (the only decayed shape), bias, BN-like
 * gamma and beta, and a second kernel that some steps leave without a gradient.
 */
function problem() {
  const kernel = tf.variable(tf.randomNormal([3, 3, 2, 4], 0, 0.5, 'float32', 1));
  const bias = tf.variable(tf.randomNormal([4], 0, 0.1, 'float32', 2));
  const gamma = tf.variable(tf.randomUniform([4], 0.5, 1.5, 'float32', 3));
  const beta = tf.variable(tf.randomNormal([4], 0, 0.1, 'float32', 4));
  const head = tf.variable(tf.randomNormal([1, 1, 4, 3], 0, 0.5, 'float32', 5));
  const input = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 6) as tf.Tensor4D;
  const target = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 7);
  const vars = [kernel, bias, gamma, beta, head];
  const loss = (withHead: boolean) => () =>
    tf.tidy(() => {
      const y = tf.add(tf.conv2d(input, kernel as tf.Tensor4D, 1, 'same'), bias);
      const z = tf.add(tf.mul(tf.tanh(y), gamma), beta);
      const fit = tf.mean(tf.square(tf.sub(z, target)));
      return (withHead ? tf.add(fit, tf.mean(tf.square(tf.conv2d(z as tf.Tensor4D, head as tf.Tensor4D, 1, 'valid')))) : fit) as tf.Scalar;
    });
  return { vars, loss, dispose: () => tf.dispose([...vars, input, target]) };
}

async function values(vars: readonly tf.Variable[]): Promise<number[][]> {
  return Promise.all(vars.map(async (v) => Array.from(await v.data())));
}

function expectClose(actual: readonly number[], expected: readonly number[], what: string, tol = 2e-6): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) expect.fail(`${what}[${i}]: ${a} vs ${e}`);
  });
}

function expectSameState(a: Record<string, StoredTensor>, b: Record<string, StoredTensor>, what: string): void {
  expect(Object.keys(a).sort(), what).toEqual(Object.keys(b).sort());
  for (const [name, t] of Object.entries(a)) {
    const other = b[name] as StoredTensor;
    expect([t.dtype, ...t.shape], `${what} ${name}`).toEqual([other.dtype, ...other.shape]);
    expectClose(Array.from(t.data), Array.from(other.data), `${what} ${name}`, 1e-5);
  }
}

/** One step of `optimizer` on `p`; steps 2 and 5 leave the head without a gradient. */
function step(p: ReturnType<typeof problem>, optimizer: Optimizer, lr: number, clipNorm: number, i: number): number {
  const withHead = i !== 2 && i !== 5;
  const { value, grads } = tf.variableGrads(p.loss(withHead), p.vars);
  try {
    return optimizer.apply(p.vars.map((v) => grads[v.name]), lr, clipNorm);
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}

describe.each(['cpu', 'wasm'] as const)('flat optimisers on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  describe.each(CASES)('$name', ({ config, lr }) => {
    it.each([
      ['without clipping', 0],
      ['with the global norm clipped to 0.5', 0.5],
    ])('equals the tensor-op implementation step for step %s', async (_, clipNorm) => {
      const flatProblem = problem();
      const tensorProblem = problem();
      const flat = createOptimizer(flatProblem.vars, config);
      const reference = createOptimizer(tensorProblem.vars, { ...config, implementation: 'tensor' });
      let clipped = 0;
      for (let i = 0; i < 8; i++) {
        const norm = step(flatProblem, flat, lr, clipNorm, i);
        const referenceNorm = step(tensorProblem, reference, lr, clipNorm, i);
        expectClose([norm], [referenceNorm], `norm at step ${i}`, 1e-5);
        if (clipNorm > 0 && norm > clipNorm) clipped += 1;
        const [ours, theirs] = [await values(flatProblem.vars), await values(tensorProblem.vars)];
        ours.forEach((v, k) => expectClose(v, theirs[k] as number[], `variable ${k} after step ${i}`));
      }
      if (clipNorm > 0) expect(clipped).toBeGreaterThan(0);
      expectSameState(await flat.saveState(), await reference.saveState(), 'slots');
      flat.dispose();
      reference.dispose();
      flatProblem.dispose();
      tensorProblem.dispose();
    });
  });

  it('allocates no tensors across steps', () => {
    const p = problem();
    const optimizer = createOptimizer(p.vars, { ...BASE, type: 'adamw', weightDecay: 0.01 });
    step(p, optimizer, 1e-3, 1, 0);
    const before = tf.memory().numTensors;
    for (let i = 1; i < 4; i++) step(p, optimizer, 1e-3, 1, i);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    p.dispose();
  });
});

describe('flat optimiser checkpoints', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each(CASES)('resume across implementations unchanged ($name)', async ({ config, lr }) => {
    // Three steps with one implementation, saved; three more with either: both continuations agree.
    for (const [first, second] of [
      ['tensor', 'flat'],
      ['flat', 'tensor'],
    ] as const) {
      const p = problem();
      const writer = createOptimizer(p.vars, { ...config, implementation: first });
      for (let i = 0; i < 3; i++) step(p, writer, lr, 1, i);
      const saved = await writer.saveState();
      const weights = await values(p.vars);
      const continued = problem();
      continued.vars.forEach((v, k) => v.assign(tf.tensor(weights[k] as number[], v.shape)));
      const reader = createOptimizer(continued.vars, { ...config, implementation: second });
      reader.loadState(saved);
      expectSameState(await reader.saveState(), saved, `${second} loading ${first}'s state`);
      for (let i = 3; i < 6; i++) {
        step(p, writer, lr, 1, i);
        step(continued, reader, lr, 1, i);
      }
      const [ours, theirs] = [await values(continued.vars), await values(p.vars)];
      ours.forEach((v, k) => expectClose(v, theirs[k] as number[], `${first} -> ${second}: variable ${k}`));
      writer.dispose();
      reader.dispose();
      p.dispose();
      continued.dispose();
    }
  });

  it('keeps the slot names and shapes of the tensor path (m.i, v.i, step; velocity.i)', async () => {
    const p = problem();
    const adam = createOptimizer(p.vars, { ...BASE, type: 'adam' });
    step(p, adam, 1e-3, 0, 0);
    const state = await adam.saveState();
    expect(Object.keys(state).sort()).toEqual(['m.0', 'm.1', 'm.2', 'm.3', 'm.4', 'step', 'v.0', 'v.1', 'v.2', 'v.3', 'v.4']);
    expect(state['m.0']?.shape).toEqual([3, 3, 2, 4]);
    expect(state['v.4']?.shape).toEqual([1, 1, 4, 3]);
    expect(state['step']).toEqual({ shape: [1], dtype: 'int32', data: Int32Array.of(1) });
    const sgd = createOptimizer(p.vars, { ...BASE, type: 'sgd' });
    expect(Object.keys(await sgd.saveState()).sort()).toEqual(['velocity.0', 'velocity.1', 'velocity.2', 'velocity.3', 'velocity.4']);
    expect(await createOptimizer(p.vars, { ...BASE, type: 'sgd', momentum: 0 }).saveState()).toEqual({});
    p.dispose();
  });

  it('rejects a checkpoint of another variable list without touching its slots', async () => {
    const p = problem();
    const adam = createOptimizer(p.vars, { ...BASE, type: 'adam' });
    step(p, adam, 1e-3, 0, 0);
    const before = await adam.saveState();
    expect(() => adam.loadState({ ...before, 'v.4': { shape: [4, 3], dtype: 'float32', data: new Float32Array(12) } })).toThrow(
      /adam: 'v\.4' is \[4, 3\] in the checkpoint but \[1, 1, 4, 3\] here/,
    );
    const { ['m.2']: _, ...missing } = before;
    expect(() => adam.loadState(missing)).toThrow(/adam: the checkpoint has no 'm\.2'/);
    expectSameState(await adam.saveState(), before, 'after the rejected loads');
    p.dispose();
  });
});
