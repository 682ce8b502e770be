import * as tf from '@tensorflow/tfjs-core';

/**
 * `x[rows]` along axis 0 (PyTorch's boolean-mask indexing `x[fg_mask]` once the mask is turned into
 * row indices), with the gradient scattered back by `scatterND`. tf.gather would do the same, but
 * its gradient (UnsortedSegmentSum) runs once per row of `x` on the cpu backend, which takes tens
 * of seconds for a batch's 4200 anchors; this one is linear in the gathered rows.
 */
export function gatherRows(x: tf.Tensor, rows: Int32Array): tf.Tensor {
  const gather = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = inputs[0] as tf.Tensor;
    return {
      value: tf.gather(input, tf.tensor1d(rows, 'int32')),
      gradFunc: (dy: tf.Tensor) => tf.scatterND(tf.tensor2d(rows, [rows.length, 1], 'int32'), dy, input.shape),
    };
  });
  return gather(x);
}
