import type * as tf from '@tensorflow/tfjs-core';
import type { ModuleGraphContext } from '../graph/module-graph.js';
import type { HeadSpec } from '../heads/head-spec.js';
import type { Activation } from './activation.js';
import type { ModuleArgs } from './module-args.js';
import type { ParameterStore } from './parameters.js';

/** Model-wide multipliers: `depth_multiple`, `width_multiple`, `max_channels` (from `scales` or the YAML keys). */
export interface Scaling {
  readonly depth: number;
  readonly width: number;
  readonly maxChannels: number;
  /** Channels are rounded up to a multiple of this (Ultralytics: 8). */
  readonly divisor: number;
}

/** Ultralytics' `make_divisible`: the next multiple of `divisor` at or above `x`. */
export function makeDivisible(x: number, divisor: number): number {
  return Math.ceil(x / divisor) * divisor;
}

/** Output channels as Ultralytics scales them: `make_divisible(min(c2, max_channels) * width, 8)`. */
export function scaleChannels(channels: number, scaling: Scaling): number {
  return makeDivisible(Math.min(channels, scaling.maxChannels) * scaling.width, scaling.divisor);
}

/** Python's `round` (half to even), which Ultralytics' depth scaling uses. */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Repeats as Ultralytics scales them: `max(round(n * depth), 1) if n > 1 else n`. */
export function scaleRepeats(repeats: number, scaling: Scaling): number {
  return repeats > 1 ? Math.max(pythonRound(repeats * scaling.depth), 1) : repeats;
}

/** What a forward pass needs to know: BatchNorm uses batch statistics (and updates its running ones) when training. */
export interface ForwardMode {
  readonly training: boolean;
}

/** A built row that maps its input maps (NHWC) to one output map. */
export interface LayerInstance {
  readonly kind: 'layer';
  forward(inputs: readonly tf.Tensor4D[], mode: ForwardMode): tf.Tensor4D;
}

/** A built detection head: one raw output map per level (NHWC), and what decoding them needs. */
export interface HeadInstance {
  readonly kind: 'head';
  readonly spec: HeadSpec;
  forward(inputs: readonly tf.Tensor4D[], mode: ForwardMode): tf.Tensor4D[];
  /** Decoding constants held as parameters (the DFL projection 0..reg_max-1), if any. */
  readonly projection?: tf.Tensor;
}

export type ModuleInstance = LayerInstance | HeadInstance;

/** What `parseArgs` may check the args against. */
export interface ArgsContext {
  /** How many maps the row's `from` names. */
  readonly inputCount: number;
}

/** What `build` gets: where the row's parameters go, its resolved args, channels and strides. */
export interface ModuleBuildContext<A> {
  /** State-dict prefix of this module, `model.<row>` (or `model.<row>.<j>` for a stacked repeat). */
  readonly prefix: string;
  readonly args: A;
  readonly inputChannels: readonly number[];
  readonly outputChannels: number;
  readonly inputStrides: readonly number[];
  /** Scaled repeats for modules that repeat internally (C3, C2f: `n`); 1 otherwise. */
  readonly repeats: number;
  readonly params: ParameterStore;
  /** The model's default activation (`activation:` in the YAML, SiLU if absent). */
  readonly activation: Activation;
  readonly scaling: Scaling;
}

/**
 * One module a model YAML can name, with its own channel rule (instead of Ultralytics' `if m in {...}`
 * chain in `parse_model`). `A` is its parsed args.
 *
 * - `repeat: 'internal'`: the scaled `n` goes into the module (C3, C2f: `n` bottlenecks inside);
 *   `'stacked'`: `n > 1` stacks copies as `nn.Sequential` would (`model.<row>.<j>.…`).
 * - `inputs: 'multiple'`: `from` may be a list (Concat, Detect); `'single'`: one index.
 */
export interface ModuleDefinition<A> {
  readonly name: string;
  /** The args as the YAML writes them, for error messages: `[c2, k=1, s=1, p=None, g=1, d=1, act=True]`. */
  readonly signature: string;
  readonly repeat: 'internal' | 'stacked';
  readonly inputs: 'single' | 'multiple';
  readonly role: 'layer' | 'head';
  parseArgs(args: ModuleArgs, context: ArgsContext): A;
  outputChannels(args: A, inputChannels: readonly number[], scaling: Scaling): number;
  outputStride(args: A, inputStrides: readonly number[]): number;
  build(context: ModuleBuildContext<A>): ModuleInstance;
  /**
   * Writes the module into the inference graph that exporters read (`DetectionModel.graph`): a layer
   * returns its output tensor, a head one raw map per level. The built-in modules are described in
   * `graph/builtin-module-graphs.ts`; a module defined elsewhere describes itself here.
   */
  graph?(context: ModuleGraphContext<A>): string | readonly string[];
}

/** A registered module; the list a parser gets is explicit (see `module-lists.ts`). */
export type ModuleEntry = ModuleDefinition<unknown>;

/** Types a module definition; the returned entry goes into a module list. */
export function defineModule<A>(definition: ModuleDefinition<A>): ModuleDefinition<A> {
  return definition;
}
