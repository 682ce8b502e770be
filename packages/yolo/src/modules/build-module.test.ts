// Test helper, not a test (vitest runs *.spec.ts): builds one registered module outside a model.
import { ConfigLocation, InlineConfigSource } from '@yolo-distill/core';
import { SILU, type Activation } from './activation.js';
import { ModuleArgs } from './module-args.js';
import type { ModuleDefinition, ModuleInstance, Scaling } from './module-entry.js';
import { ParameterStore } from './parameters.js';

export const UNIT_SCALING: Scaling = { depth: 1, width: 1, maxChannels: Infinity, divisor: 8 };

export interface BuiltModule {
  readonly params: ParameterStore;
  readonly instance: ModuleInstance;
  readonly outputChannels: number;
  /** name -> PyTorch shape of every parameter. */
  readonly shapes: Record<string, number[]>;
}

export function buildModule<A>(
  entry: ModuleDefinition<A>,
  rawArgs: readonly unknown[],
  inputChannels: readonly number[],
  options: { strides?: readonly number[]; repeats?: number; activation?: Activation; scaling?: Scaling; prefix?: string; seed?: number } = {},
): BuiltModule {
  const at = new ConfigLocation(new InlineConfigSource('test.yaml'));
  const args = entry.parseArgs(new ModuleArgs(entry.name, entry.signature, rawArgs, at), { inputCount: inputChannels.length });
  const scaling = options.scaling ?? UNIT_SCALING;
  const outputChannels = entry.outputChannels(args, inputChannels, scaling);
  const params = new ParameterStore('test', options.seed ?? 0);
  const instance = entry.build({
    prefix: options.prefix ?? 'model.4',
    args,
    inputChannels,
    outputChannels,
    inputStrides: options.strides ?? inputChannels.map(() => 8),
    repeats: options.repeats ?? 1,
    params,
    activation: options.activation ?? SILU,
    scaling,
  });
  const shapes = Object.fromEntries(params.list().map((p) => [p.name, [...p.torchShape]]));
  return { params, instance, outputChannels, shapes };
}
