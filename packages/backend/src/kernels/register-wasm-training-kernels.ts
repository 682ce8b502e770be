import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2DBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2DBackpropInputConfig } from './depthwise-conv2d-backprop-input.js';
import { oneHotConfig } from './one-hot.js';
import { resizeNearestNeighborGradConfig } from './resize-nearest-neighbor-grad.js';
import { unsortedSegmentSumConfig, unsortedSegmentSumConfigFor } from './unsorted-segment-sum.js';

/**
 * The kernels training needs on wasm: the gradients it lacks (Conv2DBackpropFilter, the depthwise
 * gradients, UnsortedSegmentSum for gather), the one it has but runs far slower than its forward twin
 * (Conv2DBackpropInput), and OneHot, whose stock kernel ignores a float32 dtype.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2DBackpropFilterConfig,
  depthwiseConv2DBackpropInputConfig,
  unsortedSegmentSumConfig,
  oneHotConfig,
];

/** Registers (or re-registers, replacing the stock one) each training kernel for the wasm backend. */
export function registerWasmTrainingKernels(kernels: readonly KernelConfig[] = WASM_TRAINING_KERNELS): void {
  for (const kernel of kernels) {
    if (getKernel(kernel.kernelName, kernel.backendName)) unregisterKernel(kernel.kernelName, kernel.backendName);
    registerKernel(kernel);
  }
}

let cpuFixed = false;

/**
 * Replaces two cpu kernels (once per process): ResizeNearestNeighborGrad, wrong for batch > 1 in
 * tfjs 4.22, and UnsortedSegmentSum (the gather gradient), far too slow for detection losses.
 */
export function registerCpuKernelFixes(): void {
  if (cpuFixed) return;
  for (const config of [resizeNearestNeighborGradConfig('cpu'), unsortedSegmentSumConfigFor('cpu')]) {
    unregisterKernel(config.kernelName, 'cpu');
    registerKernel(config);
  }
  cpuFixed = true;
}
