import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@yolo-distill/core';

/**
 * Class targets for distillation: `(1 - lambda)·hard + lambda·teacher`. `hard` are the assigned
 * (one-hot or smoothed) targets, `teacher` the teacher's class probabilities for the same cells
 * (after its sigmoid or softmax), same shape; `lambda` is the teacher's share, 0 = ground truth only,
 * 1 = teacher only. Nothing stops gradients here: a frozen teacher's tensors carry none.
 */
export function mixSoftLabels(hard: Tensor, teacher: Tensor, lambda: number): Tensor {
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`mixSoftLabels: lambda must be in [0, 1], got ${lambda}`);
  if (hard.shape.length !== teacher.shape.length || hard.shape.some((size, axis) => size !== teacher.shape[axis])) {
    throw new Error(`mixSoftLabels: hard targets [${hard.shape.join(', ')}] and teacher probabilities [${teacher.shape.join(', ')}] differ in shape`);
  }
  return tf.tidy(() => tf.add(tf.mul(hard, 1 - lambda), tf.mul(teacher, lambda)));
}
