import * as tf from '@tensorflow/tfjs-core';
import type { YoloModel } from '@yolo-distill/yolo';

/**
 * Gives every BatchNorm random statistics and affine terms (seeded), so that a channel left in place
 * after its filter is removed would change the output (beta != 0): the equivalence tests then bite.
 */
export function randomizeBatchNorms(model: YoloModel, seed: number): void {
  let s = seed;
  const values: Record<string, tf.Tensor> = {};
  for (const p of model.parameters()) {
    const n = p.variable.size;
    if (p.name.endsWith('.bn.weight')) values[p.name] = tf.randomUniform([n], 0.5, 1.5, 'float32', s++);
    else if (p.name.endsWith('.bn.bias')) values[p.name] = tf.randomUniform([n], -0.5, 0.5, 'float32', s++);
    else if (p.name.endsWith('.bn.running_mean')) values[p.name] = tf.randomUniform([n], -0.2, 0.2, 'float32', s++);
    else if (p.name.endsWith('.bn.running_var')) values[p.name] = tf.randomUniform([n], 0.5, 1.5, 'float32', s++);
  }
  model.setWeights(values);
  tf.dispose(Object.values(values));
}
