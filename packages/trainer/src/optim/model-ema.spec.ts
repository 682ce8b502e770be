import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { NamedTensors, StoredTensor } from '@yolo-distill/core';
import { ModelEma } from './model-ema.js';
import { TensorModelEma } from './tensor-model-ema.js';

/** A model's weights by name: trainable ones and BN running statistics, which the average covers too. */
function weights(seed: number): Record<string, tf.Variable> {
  return {
    'model.0.conv.weight': tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', seed)),
    'model.0.bn.weight': tf.variable(tf.randomUniform([8], 0.5, 1.5, 'float32', seed + 1)),
    'model.0.bn.bias': tf.variable(tf.randomNormal([8], 0, 0.1, 'float32', seed + 2)),
    'model.0.bn.running_mean': tf.variable(tf.randomNormal([8], 0, 1, 'float32', seed + 3), false),
    'model.0.bn.running_var': tf.variable(tf.randomUniform([8], 0.5, 2, 'float32', seed + 4), false),
  };
}

/** Moves every weight (running statistics included) as training would. */
function move(live: Record<string, tf.Variable>, step: number): void {
  tf.tidy(() => {
    for (const [i, v] of Object.values(live).entries()) v.assign(tf.add(tf.mul(v, 0.97), tf.randomNormal(v.shape, 0, 0.05, 'float32', 100 * step + i)));
  });
}

async function read(named: NamedTensors): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(named)) out[name] = Array.from(await t.data());
  return out;
}

function expectClose(a: Record<string, number[]>, b: Record<string, number[]>, what: string): void {
  expect(Object.keys(a), what).toEqual(Object.keys(b));
  for (const [name, values] of Object.entries(a)) {
    values.forEach((x, i) => {
      const y = (b[name] as number[])[i] as number;
      if (!(Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y)))) expect.fail(`${what} ${name}[${i}]: ${x} vs ${y}`);
    });
  }
}

describe.each(['cpu', 'wasm'] as const)('ModelEma (flat) on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('equals the tensor-op EMA update for update, running statistics included', async () => {
    const live = weights(1);
    const options = { decay: 0.9999, tau: 3 };
    const flat = new ModelEma(live, options);
    const reference = new TensorModelEma(live, options);
    for (let step = 0; step < 6; step++) {
      move(live, step);
      expect(flat.currentDecay()).toBe(reference.currentDecay());
      flat.update(live);
      reference.update(live);
      // Reading the average only every other update: the flat one writes its tensors lazily.
      if (step % 2 === 1) expectClose(await read(flat.weights()), await read(reference.weights()), `after update ${step}`);
    }
    expect(flat.updates).toBe(6);
    // The decay matters: the average lags the live weights.
    const [average, current] = [await read(flat.weights()), await read(live)];
    expect(Math.abs((average['model.0.bn.running_mean'] as number[])[0]! - (current['model.0.bn.running_mean'] as number[])[0]!)).toBeGreaterThan(1e-3);
    flat.dispose();
    reference.dispose();
    tf.dispose(Object.values(live));
  }, 20_000);

  it('allocates no tensors across updates and reads', () => {
    const live = weights(2);
    const ema = new ModelEma(live, { decay: 0.9, tau: 2 });
    ema.update(live);
    ema.weights();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      ema.update(live);
      ema.weights();
    }
    expect(tf.memory().numTensors).toBe(before);
    ema.dispose();
    tf.dispose(Object.values(live));
  });
});

describe('ModelEma checkpoints', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('saves what the tensor-op EMA saves and resumes from it (both ways)', async () => {
    const live = weights(3);
    const options = { decay: 0.99, tau: 2 };
    const flat = new ModelEma(live, options);
    const reference = new TensorModelEma(live, options);
    for (let step = 0; step < 3; step++) {
      move(live, step);
      flat.update(live);
      reference.update(live);
    }
    const [ours, theirs] = [await flat.saveState(), await reference.saveState()];
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, t] of Object.entries(ours)) {
      const other = theirs[name] as StoredTensor;
      expect([t.dtype, ...t.shape], name).toEqual([other.dtype, ...other.shape]);
    }
    const flatFromTensor = new ModelEma(weights(9), options);
    flatFromTensor.loadState(theirs);
    const tensorFromFlat = new TensorModelEma(weights(9), options);
    tensorFromFlat.loadState(ours);
    expect([flatFromTensor.updates, tensorFromFlat.updates]).toEqual([3, 3]);
    move(live, 3);
    for (const ema of [flat, reference, flatFromTensor, tensorFromFlat]) ema.update(live);
    const expected = await read(reference.weights());
    expectClose(await read(flat.weights()), expected, 'flat, uninterrupted');
    expectClose(await read(flatFromTensor.weights()), expected, 'flat resumed from the tensor EMA');
    expectClose(await read(tensorFromFlat.weights()), expected, 'tensor EMA resumed from the flat one');
  });

  it('names a missing or misshapen average', async () => {
    const live = weights(4);
    const ema = new ModelEma(live, { decay: 0.9, tau: 2 });
    const state = await ema.saveState();
    const { ['w.model.0.bn.running_var']: _, ...missing } = state;
    expect(() => ema.loadState(missing)).toThrow(/EMA: the checkpoint has no average for 'model\.0\.bn\.running_var'/);
    expect(() => ema.loadState({ ...state, 'w.model.0.bn.bias': { shape: [4], dtype: 'float32', data: new Float32Array(4) } })).toThrow(
      /EMA: the average of 'model\.0\.bn\.bias' is \[4\] in the checkpoint but \[8\] here/,
    );
    const { ['model.0.bn.bias']: __, ...fewer } = live;
    expect(() => ema.update(fewer)).toThrow(/EMA: the model no longer has 'model\.0\.bn\.bias'/);
    expect(ema.updates).toBe(0);
  });
});
