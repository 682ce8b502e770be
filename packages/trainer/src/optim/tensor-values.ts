import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@yolo-distill/core';

/** What tfjs-backend-wasm offers beyond the KernelBackend interface: a view of a tensor's heap memory. */
interface HeapBackend {
  typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  refCount(dataId: object): number;
}

function heapBackend(): HeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof backend.typedArrayFromHeap === 'function' && typeof backend.refCount === 'function' ? (backend as HeapBackend) : undefined;
}

/**
 * A tensor's float32 values for reading, without a copy where the backend allows it: on wasm a view of
 * its heap memory, which stays valid only until the next tfjs call allocates (the heap may grow), so
 * read it at once; elsewhere `dataSync` (a copy, or on the cpu backend the tensor's own array). Never
 * write into the result.
 */
export function readValues(tensor: Tensor): Float32Array {
  if (tensor.isDisposed) throw new Error(`readValues: the tensor ${tensor.id} [${tensor.shape.join(', ')}] is disposed`);
  if (tensor.dtype !== 'float32') return Float32Array.from(tensor.dataSync());
  const heap = heapBackend();
  const dataId = tensor.dataId as object;
  if (heap && heap.refCount(dataId) > 0) return heap.typedArrayFromHeap({ shape: tensor.shape, dtype: 'float32', dataId });
  return tensor.dataSync<'float32'>();
}

/**
 * Gives `variable` new values (a new tensor, so no backend cache keyed by the old data, such as the
 * wasm backend's packed XNNPACK conv filters, can keep serving stale weights). `values` may be reused
 * afterwards: backends that keep the array they are given (cpu, tfjs-node) get a copy.
 */
export function writeValues(variable: Variable, values: Float32Array): void {
  if (values.length !== variable.size) throw new Error(`writeValues: ${values.length} values for a variable of ${variable.size} [${variable.shape.join(', ')}]`);
  const owned = tf.getBackend() === 'wasm' ? values : values.slice();
  tf.tidy(() => variable.assign(tf.tensor(owned, variable.shape, 'float32')));
}
