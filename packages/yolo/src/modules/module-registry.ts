import type { ModuleEntry } from './module-entry.js';

/** Modules by the name a model YAML uses; built from an explicit list, a duplicate name throws. */
export class ModuleRegistry {
  private readonly byName = new Map<string, ModuleEntry>();

  constructor(
    readonly label: string,
    entries: readonly ModuleEntry[],
  ) {
    for (const entry of entries) {
      if (this.byName.has(entry.name)) throw new Error(`module list '${label}' names '${entry.name}' twice`);
      this.byName.set(entry.name, entry);
    }
  }

  get(name: string): ModuleEntry | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
