import type { Variable } from '@yolo-distill/core';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';

export interface OptimizerConfig {
  readonly type: 'sgd' | 'adam' | 'adamw';
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** SGD uses `momentum` as momentum; Adam/AdamW use it as beta1 (as Ultralytics' `momentum` does). */
export function createOptimizer(variables: readonly Variable[], config: OptimizerConfig): Optimizer {
  if (config.type === 'sgd') return new Sgd(variables, { momentum: config.momentum, nesterov: config.nesterov, weightDecay: config.weightDecay });
  return new Adam(variables, {
    beta1: config.momentum,
    beta2: config.beta2,
    epsilon: config.epsilon,
    weightDecay: config.weightDecay,
    decoupled: config.type === 'adamw',
  });
}
