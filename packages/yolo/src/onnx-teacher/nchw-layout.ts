// Crossing between tfjs (NHWC) and ONNX graphs (NCHW).
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxFloatTensor } from '@yolo-distill/core';

/**
 * NHWC images as the NCHW float32 values an ONNX graph takes. Synchronous, so that a teacher's
 * forward hands its runs to a session in a worker before its caller's next statement.
 */
export function nhwcToNchw(images: tf.Tensor4D): Float32Array {
  const nchw = tf.tidy(() => tf.transpose(tf.cast(images, 'float32'), [0, 3, 1, 2]));
  try {
    return nchw.dataSync() as Float32Array;
  } finally {
    nchw.dispose();
  }
}

/** An NCHW map from onnxruntime as an NHWC tensor; `what` names it in the error for another rank. */
export function nchwToNhwc(tensor: OnnxFloatTensor, what: string): tf.Tensor4D {
  if (tensor.dims.length !== 4) throw new Error(`${what} has shape [${tensor.dims.join(', ')}], not an NCHW map [batch, channels, height, width]`);
  const [n, c, h, w] = tensor.dims as [number, number, number, number];
  return tf.tidy(() => tf.transpose(tf.tensor4d(tensor.data, [n, c, h, w]), [0, 2, 3, 1]));
}

/** Results of consecutive batch chunks joined along the batch dim. */
export function joinBatches(chunks: readonly OnnxFloatTensor[]): OnnxFloatTensor {
  const [first] = chunks;
  if (!first) throw new Error('joinBatches: no chunks');
  if (chunks.length === 1) return first;
  const data = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.data.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk.data, offset);
    offset += chunk.data.length;
  }
  return { data, dims: [chunks.reduce((sum, chunk) => sum + (chunk.dims[0] ?? 0), 0), ...first.dims.slice(1)] };
}
