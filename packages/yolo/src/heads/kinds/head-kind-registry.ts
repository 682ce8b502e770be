import type { HeadKind } from '@yolo-distill/core';
import type { HeadKindEntry } from './head-kind.js';

/** Head kinds by name, built from an explicit list (like `ModuleRegistry`); a duplicate name throws. */
export class HeadKindRegistry {
  private readonly byName = new Map<HeadKind, HeadKindEntry>();

  constructor(entries: readonly HeadKindEntry[]) {
    for (const entry of entries) {
      if (this.byName.has(entry.name)) throw new Error(`the head kinds name '${entry.name}' twice`);
      this.byName.set(entry.name, entry);
    }
  }

  /** The entry of `kind`; an unknown kind names the known ones. */
  get(kind: HeadKind): HeadKindEntry {
    const entry = this.byName.get(kind);
    if (!entry) throw new Error(`unknown head kind '${kind}'; the registered kinds are ${this.names().join(', ')}`);
    return entry;
  }

  has(kind: HeadKind): boolean {
    return this.byName.has(kind);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
