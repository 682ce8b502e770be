import type { NamedTensors, Variable } from '@yolo-distill/core';
import { Adam } from './adam.js';
import { ModelEma, type EmaOptions, type WeightAverage } from './model-ema.js';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';
import { TensorAdam } from './tensor-adam.js';
import { TensorModelEma } from './tensor-model-ema.js';
import { TensorSgd } from './tensor-sgd.js';

/**
 * `flat` (the default): JS loops over one flat layout, no kernel calls. `tensor`: the same rules as
 * tfjs ops, kept as the reference and the benchmarks' A/B baseline. Both read and write the same
 * checkpoints.
 */
export type OptimizerImplementation = 'flat' | 'tensor';

export interface OptimizerConfig {
  readonly type: 'sgd' | 'adam' | 'adamw';
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Also picks the EMA's implementation (`createModelEma`). Default `flat`. */
  readonly implementation?: OptimizerImplementation | undefined;
}

/** SGD uses `momentum` as momentum; Adam/AdamW use it as beta1 (as Ultralytics' `momentum` does). */
export function createOptimizer(variables: readonly Variable[], config: OptimizerConfig): Optimizer {
  const tensor = config.implementation === 'tensor';
  if (config.type === 'sgd') {
    const options = { momentum: config.momentum, nesterov: config.nesterov, weightDecay: config.weightDecay };
    return tensor ? new TensorSgd(variables, options) : new Sgd(variables, options);
  }
  const options = { beta1: config.momentum, beta2: config.beta2, epsilon: config.epsilon, weightDecay: config.weightDecay, decoupled: config.type === 'adamw' };
  return tensor ? new TensorAdam(variables, options) : new Adam(variables, options);
}

export function createModelEma(weights: NamedTensors, options: EmaOptions, implementation: OptimizerImplementation = 'flat'): WeightAverage {
  return implementation === 'tensor' ? new TensorModelEma(weights, options) : new ModelEma(weights, options);
}
