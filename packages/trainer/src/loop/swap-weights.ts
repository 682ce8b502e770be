import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, NamedTensors } from '@yolo-distill/core';

/** Runs `work`, then puts the model's weights (BN running statistics included) back as they were (also on error). */
export async function keepingWeights<T>(model: DetectionModel, work: () => Promise<T>): Promise<T> {
  const own = tf.tidy(() => Object.fromEntries(Object.entries(model.getWeights()).map(([name, t]) => [name, tf.clone(t)])));
  try {
    return await work();
  } finally {
    model.setWeights(own);
    tf.dispose(Object.values(own));
  }
}

/** Runs `work` with `weights` in the model, then puts the model's own weights back (also on error). */
export async function withWeights<T>(model: DetectionModel, weights: NamedTensors, work: () => Promise<T>): Promise<T> {
  return keepingWeights(model, async () => {
    model.setWeights(weights);
    return work();
  });
}
