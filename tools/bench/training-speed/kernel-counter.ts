import * as tf from '@tensorflow/tfjs-core';

/**
 * Counts the tfjs engine's kernel invocations: every `Engine.runKernelFunc` call (each op, each
 * gradient op, each customGrad), what the issue calls "engine calls". Installed once per process.
 */
export function countKernelCalls(): () => number {
  const engine = tf.engine() as unknown as { runKernelFunc: (...args: unknown[]) => unknown };
  const original = engine.runKernelFunc;
  let calls = 0;
  engine.runKernelFunc = function (this: unknown, ...args: unknown[]) {
    calls += 1;
    return original.apply(this, args);
  };
  return () => calls;
}
