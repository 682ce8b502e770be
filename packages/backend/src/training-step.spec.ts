import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend.js';
import { ProbeNet, YOLOV5N_PROBE, YOLOV5N_PROBE_OUTPUTS } from './test-support/yolov5n-probe-net.js';

function images(batch: number, size: number): tf.Tensor4D {
  return tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 42) as tf.Tensor4D;
}

async function trainLosses(backend: 'cpu' | 'wasm', steps: number): Promise<{ losses: number[]; tensorCounts: number[] }> {
  await selectBackend(backend);
  const net = new ProbeNet(YOLOV5N_PROBE, 2, 32, YOLOV5N_PROBE_OUTPUTS, 7);
  const optimizer = tf.train.adam(1e-3);
  const input = images(2, 32);
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => net.loss(input), true, net.variables());
    losses.push((await loss!.data())[0] as number);
    loss!.dispose();
    tensorCounts.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  input.dispose();
  net.dispose();
  return { losses, tensorCounts };
}

describe('a YOLOv5n-shaped training step on wasm', () => {
  it('releases every tensor it allocates: numTensors does not grow over 20 Adam steps', async () => {
    const { losses, tensorCounts } = await trainLosses('wasm', 20);
    // Adam creates its moment slots on the first step; from then on the count must stay put.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]).toBeLessThan(losses[0] as number);
  });

  it('follows the same loss trajectory as the cpu backend (conv, pooling and resize gradients all agree)', async () => {
    const cpu = await trainLosses('cpu', 3);
    const wasm = await trainLosses('wasm', 3);
    console.log(cpu.losses, wasm.losses);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs((wasm.losses[i] as number) - (cpu.losses[i] as number)) / (cpu.losses[i] as number)).toBeLessThan(1e-3);
    }
  });
});
