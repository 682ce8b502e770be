import type { DependencyContainer } from 'tsyringe';
import { closestMatch } from '../config/closest-match.js';
import { ConfigError } from '../config/config-error.js';
import type { ConfigLocation, NestedPluginParser } from '../config/config-location.js';
import { describeFound } from '../config/describe-value.js';
import { PluginRef, type BuildContext, type Plugin, type PluginDescriptor, type PluginKind } from './plugin.js';

const KIND_NAMES: Record<PluginKind, string> = {
  dataset: 'dataset',
  model: 'model',
  teacher: 'teacher',
  stage: 'stage',
  loss: 'loss',
  augmentation: 'augmentation',
  featureAugmentation: 'feature augmentation',
  transform: 'training transform',
  pruner: 'pruner',
  quantizer: 'quantizer',
  exporter: 'exporter',
  metric: 'metric',
};

const TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[A-Za-z][A-Za-z0-9]*)+$/;

function kindList(kinds: readonly PluginKind[]): string {
  return kinds.map((kind) => KIND_NAMES[kind]).join(' or ');
}

/** `a stage`, `an augmentation`, `an exporter or model`. */
function withArticle(text: string): string {
  return `${/^[aeiou]/.test(text) ? 'an' : 'a'} ${text}`;
}

/** Holds every plugin's descriptors by `type`; parses YAML plugin nodes and builds them. */
export class PluginRegistry implements NestedPluginParser {
  private readonly descriptors = new Map<string, { descriptor: PluginDescriptor; plugin: string }>();
  private readonly plugins: Plugin[] = [];

  constructor(plugins: readonly Plugin[] = []) {
    for (const plugin of plugins) this.register(plugin);
  }

  /** Adds a plugin's descriptors. A type already registered (by any plugin) is an error. */
  register(plugin: Plugin): this {
    const own = new Set<string>();
    for (const descriptor of plugin.descriptors) {
      if (!TYPE_PATTERN.test(descriptor.type)) {
        throw new Error(`plugin ${plugin.meta.name}: type '${descriptor.type}' is not of the form 'package.Name' (e.g. 'losses.FeatureL2')`);
      }
      const existing = this.descriptors.get(descriptor.type);
      if (existing) {
        throw new Error(`plugin ${plugin.meta.name}: type '${descriptor.type}' is already registered by ${existing.plugin}`);
      }
      if (own.has(descriptor.type)) {
        throw new Error(`plugin ${plugin.meta.name}: type '${descriptor.type}' is listed twice in its descriptors`);
      }
      own.add(descriptor.type);
    }
    for (const descriptor of plugin.descriptors) this.descriptors.set(descriptor.type, { descriptor, plugin: plugin.meta.name });
    this.plugins.push(plugin);
    return this;
  }

  registeredPlugins(): readonly Plugin[] {
    return this.plugins;
  }

  /** Registered types, optionally of some kinds, sorted. */
  types(kinds?: PluginKind | readonly PluginKind[]): string[] {
    const wanted = kinds === undefined ? undefined : typeof kinds === 'string' ? [kinds] : kinds;
    return [...this.descriptors.values()]
      .filter(({ descriptor }) => !wanted || wanted.includes(descriptor.kind))
      .map(({ descriptor }) => descriptor.type)
      .sort();
  }

  descriptor(type: string): PluginDescriptor | undefined {
    return this.descriptors.get(type)?.descriptor;
  }

  /** Validates a `{ type: ..., ... }` node for a slot that accepts `kinds`, and returns its ref. */
  parse<T>(kinds: PluginKind | readonly PluginKind[], raw: unknown, at: ConfigLocation): PluginRef<T> {
    const accepted = typeof kinds === 'string' ? [kinds] : kinds;
    const known = this.types(accepted);
    const knownText = known.length > 0 ? known.join(', ') : '(none registered)';
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw at.error(`expected ${withArticle(kindList(accepted))} as a mapping with a 'type' key, found ${describeFound(raw)}`);
    }
    const { type, ...rest } = raw as Record<string, unknown>;
    if (type === undefined) {
      throw at.error(`missing required field 'type' (${withArticle(kindList(accepted))} type; known: ${knownText})`, 'key');
    }
    if (typeof type !== 'string') {
      throw at.child('type').error(`expected ${withArticle(kindList(accepted))} type name, found ${describeFound(type)}`);
    }
    const entry = this.descriptors.get(type);
    if (!entry) {
      const suggestion = closestMatch(type, known);
      const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
      throw at.child('type').error(`unknown ${kindList(accepted)} type '${type}'.${hint} Known ${kindList(accepted)} types: ${knownText}`);
    }
    if (!accepted.includes(entry.descriptor.kind)) {
      throw at
        .child('type')
        .error(`'${type}' is ${withArticle(KIND_NAMES[entry.descriptor.kind])}, but ${withArticle(kindList(accepted))} is expected here. Known ${kindList(accepted)} types: ${knownText}`);
    }
    const config = entry.descriptor.parse(rest, at);
    return new PluginRef<T>(entry.descriptor as PluginDescriptor<unknown, T>, config, at);
  }

  /** Builds a parsed ref (and, through the context, the refs nested in it) in a run's container. */
  async build<T>(ref: PluginRef<T>, container: DependencyContainer): Promise<T> {
    const context: BuildContext = {
      container,
      build: <U>(nested: PluginRef<U>) => this.build(nested, container),
    };
    try {
      return await ref.descriptor.create(ref.config, context);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError([ref.at.problem(`cannot build ${ref.type}: ${reason}`)], { cause: error });
    }
  }
}
