import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../select-backend.js';

/** d(sum(upsample(x) * probe))/dx by hand: each input pixel sums its 2x2 block of the probe. */
function blockSums(probe: Float32Array, n: number, h: number, w: number, c: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) sum += probe[((b * 2 * h + 2 * y + dy) * 2 * w + 2 * x + dx) * c + ch] as number;
          out.push(sum);
        }
  return out;
}

describe('ResizeNearestNeighborGrad (the gradient of YOLO\'s Upsample)', () => {
  it.each(['cpu', 'wasm'] as const)('equals the hand-computed block sums on %s, also for batch > 1 (the stock cpu kernel does not)', async (backend) => {
    await selectBackend(backend);
    const [n, h, w, c] = [3, 2, 3, 2];
    const probeValues = Float32Array.from({ length: n * 4 * h * w * c }, (_, i) => i);
    const probe = tf.tensor4d(probeValues, [n, 2 * h, 2 * w, c]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [2 * h, 2 * w]), probe)))(tf.zeros([n, h, w, c]));
    expect(Array.from(await grad.data())).toEqual(blockSums(probeValues, n, h, w, c));
  });
});
