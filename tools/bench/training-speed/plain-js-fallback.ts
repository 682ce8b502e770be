import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * "Today's situation" for the benchmark: a wasm kernel done by the pure-JS cpu backend's
 * implementation (nested loops), with the copies in and out that such a fallback needs.
 */
export function plainJsFallback(kernelName: string): KernelConfig {
  const cpuKernel = getKernel(kernelName, 'cpu');
  if (!cpuKernel) throw new Error(`the cpu backend has no ${kernelName}`);
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const cpu = tf.findBackend('cpu');
    if (!cpu) throw new Error('the cpu backend is not registered');
    const wasm = backend as tf.KernelBackend;
    const cpuInputs: Record<string, TensorInfo> = {};
    for (const [name, info] of Object.entries(inputs as Record<string, TensorInfo>)) {
      const values = wasm.readSync(info.dataId) as Float32Array;
      cpuInputs[name] = { dataId: cpu.write(values.slice(), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
    }
    const output = cpuKernel.kernelFunc({ inputs: cpuInputs, attrs, backend: cpu }) as TensorInfo;
    const values = cpu.readSync(output.dataId) as Float32Array;
    for (const info of [...Object.values(cpuInputs), output]) cpu.disposeData(info.dataId);
    return { dataId: wasm.write(values, output.shape, output.dtype), shape: output.shape, dtype: output.dtype };
  };
  return { kernelName, backendName: 'wasm', kernelFunc };
}
