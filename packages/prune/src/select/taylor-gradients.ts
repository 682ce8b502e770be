import * as tf from '@tensorflow/tfjs-core';
import { collate, type DatasetSource, type Rng } from '@yolo-distill/core';
import type { YoloModel } from '@yolo-distill/yolo';

/**
 * The native loss's gradients with respect to every trainable weight, summed over `batches` batches of
 * `batch` training images drawn with `rng`. Inference-mode forward: BatchNorm's running statistics stay
 * as they are (the model is not changed). By weight name; the caller disposes them.
 */
export async function lossGradients(model: YoloModel, data: DatasetSource, options: { batches: number; batch: number; rng: Rng }): Promise<Record<string, tf.Tensor>> {
  await data.prepare();
  const size = data.size('train');
  if (size === 0) throw new Error(`prune: taylor importance needs training images, and ${data.name} has none`);
  const trainable = model.parameters().filter((p) => p.role === 'trainable');
  const nameOf = new Map(trainable.map((p) => [p.variable.name, p.name]));
  const sums: Record<string, tf.Tensor> = {};
  for (let b = 0; b < options.batches; b++) {
    const samples = await Promise.all(Array.from({ length: options.batch }, () => data.sample('train', options.rng.int(size))));
    const batch = collate(samples);
    const { grads, value } = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [...batch.shape]);
      return tf.variableGrads(() => model.loss(model.forward(images, { training: false }), batch).total, trainable.map((p) => p.variable));
    });
    value.dispose();
    for (const [variable, grad] of Object.entries(grads)) {
      const name = nameOf.get(variable) as string;
      const previous = sums[name];
      sums[name] = previous ? tf.tidy(() => tf.add(previous, grad)) : grad;
      if (previous) {
        previous.dispose();
        grad.dispose();
      }
    }
  }
  return sums;
}
