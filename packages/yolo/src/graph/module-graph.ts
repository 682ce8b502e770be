import type { Activation } from '../modules/activation.js';
import type { GraphRecorder } from './graph-recorder.js';

/** What a module's graph description gets: where its parameters are, its args and input tensors. */
export interface ModuleGraphContext<A> {
  /** State-dict prefix of the module (`model.4`, `model.4.1` for a stacked copy). */
  readonly prefix: string;
  readonly args: A;
  /** The tensors of the row's `from` maps. */
  readonly inputs: readonly string[];
  /** Scaled repeats of modules that repeat internally (C3, C2f); 1 otherwise. */
  readonly repeats: number;
  /** The model's default activation. */
  readonly activation: Activation;
  readonly graph: GraphRecorder;
}

/**
 * How one module writes itself into the inference graph: a layer returns its output tensor, a head
 * its raw map per level. The same structure as the module's tfjs forward, in graph ops.
 */
export type ModuleGraph<A> = (context: ModuleGraphContext<A>) => string | readonly string[];
