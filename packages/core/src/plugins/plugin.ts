import type { z } from 'zod';
import type { DependencyContainer } from 'tsyringe';
import type { ConfigLocation } from '../config/config-location.js';

/** What a plugin builds; a YAML slot accepts one or more kinds. */
export type PluginKind =
  | 'dataset'
  | 'model'
  | 'teacher'
  | 'stage'
  | 'loss'
  | 'augmentation'
  | 'featureAugmentation'
  | 'transform'
  | 'pruner'
  | 'quantizer'
  | 'exporter'
  | 'metric';

/** How a descriptor builds: the run's container (services) and a way to build nested plugin refs. */
export interface BuildContext {
  readonly container: DependencyContainer;
  build<T>(ref: PluginRef<T>): Promise<T>;
}

/**
 * One buildable thing, named by `type` in YAML (`losses.FeatureL2`). `parse` validates the raw
 * node (without its `type` key) and reports problems through `at`; `create` builds the instance.
 */
export interface PluginDescriptor<C = unknown, T = unknown> {
  readonly type: string;
  readonly kind: PluginKind;
  /** One line shown by `validate` and in lists of known types. */
  readonly summary: string;
  /** The YAML fields `parse` accepts (zod), for the generated pipeline reference; `parse` stays the authority. */
  readonly schema?: z.ZodType;
  parse(raw: unknown, at: ConfigLocation): C;
  create(config: C, context: BuildContext): T | Promise<T>;
}

/** A plugin package's one export: plain data, registered by the composition root, never on import. */
export interface Plugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly descriptors: readonly PluginDescriptor[];
}

/** A parsed, validated plugin node waiting to be built. */
export class PluginRef<T = unknown> {
  constructor(
    readonly descriptor: PluginDescriptor<unknown, T>,
    readonly config: unknown,
    readonly at: ConfigLocation,
  ) {}

  get type(): string {
    return this.descriptor.type;
  }

  get kind(): PluginKind {
    return this.descriptor.kind;
  }
}
