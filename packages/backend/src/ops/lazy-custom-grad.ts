import * as tf from '@tensorflow/tfjs-core';

/** One function per input of the op, in input order; the tape calls only those of inputs it needs. */
export type LazyGradients = readonly (() => tf.Tensor)[];

export interface LazyGradOp<T extends tf.Tensor> {
  readonly value: T;
  gradients(dy: T, saved: tf.Tensor[]): LazyGradients;
}

/** The part of tfjs' Engine that `tf.customGrad` itself runs on (not in its public typings). */
interface KernelFuncEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<number, () => tf.Tensor>;
    inputs: Record<number, tf.Tensor>;
  }): tf.Tensor;
}

/**
 * `tf.customGrad`, except that each input's gradient is computed only when the tape asks for it:
 * customGrad evaluates every input's gradient, so the first layer would pay for an image gradient
 * nobody reads (the largest input-gradient conv of a YOLO). Where the engine's `runKernelFunc` is
 * missing (another tfjs version), it falls back to `tf.customGrad`, which is eager but equal.
 * `scope` names the tape node; it must not be a kernel name with a registered gradient.
 */
export function lazyCustomGrad<T extends tf.Tensor>(scope: string, inputs: readonly tf.Tensor[], f: (save: (tensors: tf.Tensor[]) => void) => LazyGradOp<T>): T {
  const engine = tf.engine() as unknown as Partial<KernelFuncEngine>;
  return tf.tidy(scope, () => {
    if (typeof engine.runKernelFunc !== 'function') return eagerCustomGrad(inputs, f);
    let op: LazyGradOp<T> | undefined;
    const inputMap: Record<number, tf.Tensor> = {};
    inputs.forEach((input, i) => (inputMap[i] = input));
    return engine.runKernelFunc({
      forwardFunc: (_backend, save) => {
        op = f(save);
        return op.value;
      },
      backwardsFunc: (dy, saved) => {
        const gradients = (op as LazyGradOp<T>).gradients(dy as T, saved);
        const map: Record<number, () => tf.Tensor> = {};
        gradients.forEach((gradient, i) => (map[i] = gradient));
        return map;
      },
      inputs: inputMap,
    }) as T;
  });
}

/** The same contract through `tf.customGrad`: every input's gradient is computed. */
export function eagerCustomGrad<T extends tf.Tensor>(inputs: readonly tf.Tensor[], f: (save: (tensors: tf.Tensor[]) => void) => LazyGradOp<T>): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const lazy = f(save);
    return { value: lazy.value, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => lazy.gradients(dy as T, saved).map((gradient) => gradient()) };
  });
  return op(...inputs) as T;
}
