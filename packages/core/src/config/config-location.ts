import { ConfigError, type ConfigProblem } from './config-error.js';
import type { ConfigPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import type { PluginKind, PluginRef } from '../plugins/plugin.js';

/** Parses nested plugin nodes (`losses.p3: { type: ... }`); the plugin registry implements it. */
export interface NestedPluginParser {
  parse<T>(kinds: PluginKind | readonly PluginKind[], raw: unknown, at: ConfigLocation): PluginRef<T>;
}

/**
 * A place in a config: source file + key path. Descriptors get one with their raw node, make
 * errors from it (carrying file:line:col and the path), and parse nested plugins through it.
 */
export class ConfigLocation {
  constructor(
    readonly source: ConfigSource,
    readonly path: ConfigPath = [],
    private readonly plugins?: NestedPluginParser,
  ) {}

  get file(): string {
    return this.source.file;
  }

  child(key: string | number): ConfigLocation {
    return new ConfigLocation(this.source, [...this.path, key], this.plugins);
  }

  problem(message: string, part: 'key' | 'value' = 'value'): ConfigProblem {
    return { position: this.source.positionOf(this.path, part), path: this.path, message };
  }

  error(message: string, part: 'key' | 'value' = 'value'): ConfigError {
    return new ConfigError([this.problem(message, part)]);
  }

  /** Parses the nested plugin node at this place; `kinds` are the plugin kinds allowed here. */
  plugin<T>(kinds: PluginKind | readonly PluginKind[], raw: unknown): PluginRef<T> {
    if (!this.plugins) throw new Error(`no plugin registry is attached to the config location ${this.file}`);
    return this.plugins.parse<T>(kinds, raw, this);
  }
}
