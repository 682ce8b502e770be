import { OneHot, type DataType, type KernelBackend, type KernelConfig, type OneHotAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * `tf.oneHot` for wasm. The stock wasm kernel (tfjs-backend-wasm 4.22) writes int32 values whatever
 * `dtype` asks for, so a float32 one-hot holds the bit pattern of int 1 (1.4e-45): the v8 loss's
 * distribution focal loss, built on float32 one-hots, came out ~0 on wasm. Indices outside
 * [0, depth) give a row of `offValue`, as on cpu.
 */
export const oneHotConfig: KernelConfig = {
  kernelName: OneHot,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { indices } = inputs as { indices: TensorInfo };
    const { depth, onValue, offValue, dtype } = attrs as unknown as OneHotAttrs & { dtype: DataType };
    const wasm = backend as KernelBackend;
    const ids = wasm.readSync(indices.dataId) as Int32Array | Float32Array;
    const count = indices.shape.reduce((a, b) => a * b, 1);
    const out = dtype === 'float32' ? new Float32Array(count * depth) : new Int32Array(count * depth);
    out.fill(offValue);
    for (let i = 0; i < count; i++) {
      const index = ids[i] as number;
      if (index >= 0 && index < depth) out[i * depth + index] = onValue;
    }
    const shape = [...indices.shape, depth];
    return { dataId: wasm.write(out, shape, dtype), shape, dtype };
  },
};
