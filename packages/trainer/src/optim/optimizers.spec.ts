import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { Adam } from './adam.js';
import { Sgd } from './sgd.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A fixed quadratic problem: loss = sum((w - target)^2 * scale) over a conv-shaped and a bias-shaped variable. */
function problem() {
  const kernel = tf.variable(tf.tensor4d([0.5, -1, 2, 0.25], [1, 1, 2, 2]), true, `k${Math.random()}`);
  const bias = tf.variable(tf.tensor1d([1, -2]), true, `b${Math.random()}`);
  const loss = () => tf.add(tf.sum(tf.mul(tf.square(tf.sub(kernel, 0.1)), 3)), tf.sum(tf.square(tf.add(bias, 0.5)))) as tf.Scalar;
  return { kernel, bias, loss };
}

async function trainOurs(make: (vars: tf.Variable[]) => { apply(g: tf.Tensor[], lr: number): void }, steps: number, lr: number) {
  const p = problem();
  const vars = [p.kernel, p.bias];
  const opt = make(vars);
  for (let i = 0; i < steps; i++) {
    const { grads, value } = tf.variableGrads(p.loss, vars);
    opt.apply(vars.map((v) => grads[v.name] as tf.Tensor), lr);
    tf.dispose([value, ...Object.values(grads)]);
  }
  return { kernel: Array.from(await p.kernel.data()), bias: Array.from(await p.bias.data()) };
}

async function trainTfjs(optimizer: tf.Optimizer, steps: number) {
  const p = problem();
  for (let i = 0; i < steps; i++) optimizer.minimize(p.loss, true, [p.kernel, p.bias])?.dispose();
  return { kernel: Array.from(await p.kernel.data()), bias: Array.from(await p.bias.data()) };
}

function expectClose(a: number[], b: number[], tol = 1e-5) {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(Math.abs(x - (b[i] as number))).toBeLessThan(tol));
}

describe('Adam', () => {
  it('matches tfjs-core\'s own Adam step for step without weight decay', async () => {
    const ours = await trainOurs((vars) => new Adam(vars, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false }), 7, 0.05);
    const theirs = await trainTfjs(tf.train.adam(0.05, 0.9, 0.999, 1e-8), 7);
    expectClose(ours.kernel, theirs.kernel);
    expectClose(ours.bias, theirs.bias);
  });

  it('AdamW decays only conv kernels, by lr * wd * w, outside the moments (hand-computed first step)', async () => {
    const p = problem();
    const vars = [p.kernel, p.bias];
    const opt = new Adam(vars, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, decoupled: true });
    const { grads, value } = tf.variableGrads(p.loss, vars);
    opt.apply(vars.map((v) => grads[v.name] as tf.Tensor), 0.01);
    tf.dispose([value, ...Object.values(grads)]);
    // First Adam step: update = g / (|g| + eps) = sign(g); kernel w -> w (1 - 0.01 * 0.1) - 0.01 sign(g).
    const k0 = [0.5, -1, 2, 0.25];
    expectClose(Array.from(await p.kernel.data()), k0.map((w) => w * (1 - 0.001) - 0.01 * Math.sign(w - 0.1)), 1e-6);
    expectClose(Array.from(await p.bias.data()), [1 - 0.01, -2 + 0.01], 1e-6);
    opt.dispose();
  });
});

describe('SGD', () => {
  it('matches tfjs-core\'s momentum optimizer with Nesterov', async () => {
    const ours = await trainOurs((vars) => new Sgd(vars, { momentum: 0.9, nesterov: true, weightDecay: 0 }), 6, 0.01);
    const theirs = await trainTfjs(tf.train.momentum(0.01, 0.9, true), 6);
    expectClose(ours.kernel, theirs.kernel);
    expectClose(ours.bias, theirs.bias);
  });

  it('adds weight decay to conv-kernel gradients only (hand-computed two steps of heavy-ball momentum)', async () => {
    const p = problem();
    const vars = [p.kernel, p.bias];
    const opt = new Sgd(vars, { momentum: 0.5, nesterov: false, weightDecay: 0.1 });
    const lr = 0.1;
    let w = 0.5; // first kernel entry: g = 6 (w - 0.1) + 0.1 w
    let v = 0;
    let b = 1; // first bias entry: g = 2 (b + 0.5)
    let vb = 0;
    for (let i = 0; i < 2; i++) {
      const { grads, value } = tf.variableGrads(p.loss, vars);
      opt.apply(vars.map((x) => grads[x.name] as tf.Tensor), lr);
      tf.dispose([value, ...Object.values(grads)]);
      v = 0.5 * v + (6 * (w - 0.1) + 0.1 * w);
      w -= lr * v;
      vb = 0.5 * vb + 2 * (b + 0.5);
      b -= lr * vb;
    }
    expect((await p.kernel.data())[0]).toBeCloseTo(w, 6);
    expect((await p.bias.data())[0]).toBeCloseTo(b, 6);
  });

  it('skips a variable without a gradient and round-trips its state', async () => {
    const p = problem();
    const vars = [p.kernel, p.bias];
    const opt = new Sgd(vars, { momentum: 0.9, nesterov: false, weightDecay: 0 });
    const { grads, value } = tf.variableGrads(p.loss, vars);
    opt.apply([grads[p.kernel.name], undefined], 0.1);
    tf.dispose([value, ...Object.values(grads)]);
    expect(Array.from(await p.bias.data())).toEqual([1, -2]);
    const state = await opt.saveState();
    const other = new Sgd(vars, { momentum: 0.9, nesterov: false, weightDecay: 0 });
    other.loadState(state);
    expect(Array.from((await other.saveState())['velocity.0']?.data ?? [])).toEqual(Array.from(state['velocity.0']?.data ?? []));
    expect(() => other.loadState({})).toThrow(/no 'velocity.0'/);
  });
});
