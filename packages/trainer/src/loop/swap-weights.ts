import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, NamedTensors } from '@yolo-distill/core';

/** Runs `work` with `weights` in the model, then puts the model's own weights back (also on error). */
export async function withWeights<T>(model: DetectionModel, weights: NamedTensors, work: () => Promise<T>): Promise<T> {
  const own = tf.tidy(() => Object.fromEntries(Object.entries(model.getWeights()).map(([name, t]) => [name, tf.clone(t)])));
  model.setWeights(weights);
  try {
    return await work();
  } finally {
    model.setWeights(own);
    tf.dispose(Object.values(own));
  }
}
