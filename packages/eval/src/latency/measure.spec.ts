import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import type { OnnxFloatTensor, OnnxSession } from '@yolo-distill/core';
import { measure, measureOnnx, measureTfjs, type Clock } from './measure.js';

/** A clock that only moves when a stub run moves it, by the next of `durations`. */
function scripted(durations: readonly number[]): { clock: Clock; tick: () => void; calls: () => number } {
  let now = 1000;
  let next = 0;
  return {
    clock: () => now,
    tick: () => {
      now += durations[next] ?? 0;
      next += 1;
    },
    calls: () => next,
  };
}

describe('measure', () => {
  it('runs warm-up untimed, then times each repeat with the given clock', async () => {
    const script = scripted([100, 90, 5, 7, 6, 8]);
    const stats = await measure(script.tick, { warmup: 2, repeats: 4, batch: 4, clock: script.clock });
    expect(script.calls()).toBe(6);
    expect(stats.samplesMs).toEqual([5, 7, 6, 8]);
    expect(stats).toMatchObject({ runs: 4, warmup: 2, batch: 4, medianMs: 6.5, minMs: 5, maxMs: 8, meanMs: 6.5 });
    // p90: h = 3 * .9 = 2.7 over [5, 6, 7, 8] -> 7.7
    expect(stats.p90Ms).toBeCloseTo(7.7, 12);
    expect(stats.fps).toBeCloseTo((1000 / 6.5) * 4, 12);
  });

  it('awaits asynchronous runs', async () => {
    let now = 0;
    const stats = await measure(
      async () => {
        await Promise.resolve();
        now += 3;
      },
      { warmup: 0, repeats: 2, clock: () => now },
    );
    expect(stats.samplesMs).toEqual([3, 3]);
  });

  it('rejects bad counts', async () => {
    await expect(measure(() => undefined, { repeats: 0 })).rejects.toThrow('repeats must be an integer >= 1, got 0');
    await expect(measure(() => undefined, { warmup: -1 })).rejects.toThrow('warmup must be an integer >= 0, got -1');
  });
});

describe('measureOnnx', () => {
  const input: OnnxFloatTensor = { data: new Float32Array(4), dims: [1, 4] };
  const stubSession = (tick: () => void, seen: unknown[]): OnnxSession => ({
    source: 'stub.onnx',
    executionProvider: 'cpu',
    inputNames: ['images'],
    outputNames: ['output0'],
    run: async (feeds, outputs) => {
      seen.push([feeds, outputs]);
      tick();
      return { output0: input };
    },
    release: async () => undefined,
  });

  it('times session.run with the feeds and outputs given', async () => {
    const script = scripted([50, 4, 2]);
    const seen: unknown[] = [];
    const stats = await measureOnnx(stubSession(script.tick, seen), { images: input }, { warmup: 1, repeats: 2, clock: script.clock, outputs: ['output0'] });
    expect(stats.samplesMs).toEqual([4, 2]);
    expect(seen).toEqual([[{ images: input }, ['output0']], [{ images: input }, ['output0']], [{ images: input }, ['output0']]]);
  });

  it('names the inputs a feed is missing for', async () => {
    await expect(measureOnnx(stubSession(() => undefined, []), { image: input })).rejects.toThrow('stub.onnx: no feed for input(s) images');
  });
});

describe('measureTfjs (real tfjs, cpu backend)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('times a small op, reads its outputs back and leaks no tensors', async () => {
    const a = tf.ones([8, 8]);
    const before = tf.memory().numTensors;
    let calls = 0;
    const stats = await measureTfjs(
      () => {
        calls += 1;
        const product = tf.matMul(a, a);
        return { head: [tf.relu(product)], features: { sum: tf.sum(product) } };
      },
      { warmup: 1, repeats: 3 },
    );
    expect(calls).toBe(4);
    expect(stats.runs).toBe(3);
    expect(stats.samplesMs.every((v) => v >= 0)).toBe(true);
    expect(stats.medianMs).toBeGreaterThanOrEqual(stats.minMs);
    expect(stats.p90Ms).toBeLessThanOrEqual(stats.maxMs);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('leaves a tensor the function only passes through alone', async () => {
    const a = tf.ones([2]);
    await measureTfjs(() => [a], { warmup: 0, repeats: 2 });
    expect(a.isDisposed).toBe(false);
    expect(Array.from(await a.data())).toEqual([1, 1]);
    a.dispose();
  });
});
