import { UnsortedSegmentSum, type KernelBackend, type KernelConfig, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';

/**
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s: the gradient of `tf.gather` (how the
 * detection losses pick matched predictions). tfjs-backend-wasm lacks it. A scatter-add over the
 * gathered rows is O(rows x row size) and small next to the zero-filled output, so it runs in JS.
 * The cpu backend has one, but it loops over every output segment per row (44 s for one v8 loss).
 */
export function unsortedSegmentSumConfigFor(backendName: string): KernelConfig {
  return {
  kernelName: UnsortedSegmentSum,
  backendName,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    const wasm = backend as KernelBackend;
    if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on ${backendName} supports float32, got ${x.dtype}`);
    const values = wasm.readSync(x.dataId) as Float32Array;
    const ids = wasm.readSync(segmentIds.dataId) as Int32Array | Float32Array;
    const idShape = segmentIds.shape;
    const idCount = idShape.reduce((a, b) => a * b, 1);
    const rowSize = values.length / Math.max(idCount, 1);
    const out = new Float32Array(numSegments * rowSize);
    for (let i = 0; i < idCount; i++) {
      const segment = ids[i] as number;
      if (segment < 0 || segment >= numSegments) continue;
      const from = i * rowSize;
      const to = segment * rowSize;
      for (let j = 0; j < rowSize; j++) out[to + j] = (out[to + j] as number) + (values[from + j] as number);
    }
    const shape = [numSegments, ...x.shape.slice(idShape.length)];
    return { dataId: wasm.write(out, shape, 'float32'), shape, dtype: 'float32' };
  },
  };
}

export const unsortedSegmentSumConfig: KernelConfig = unsortedSegmentSumConfigFor('wasm');
