import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Plugin } from '../plugins/plugin.js';
import { PluginRegistry } from '../plugins/plugin-registry.js';

/**
 * The checks every plugin package's `plugin.spec.ts` makes of its plugin object: `meta` is the name
 * and version of its package.json (`manifest`, a URL or path), and every descriptor registers under
 * its own type (a duplicate type throws in the registry).
 */
export function describePluginObject(label: string, plugin: Plugin, manifest: URL | string): void {
  describe(label, () => {
    it('names itself as its package.json does', () => {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
      expect(plugin.meta).toEqual({ name, version });
    });

    it('registers every descriptor it carries under its own type', () => {
      const registry = new PluginRegistry().register(plugin);
      expect(registry.registeredPlugins()).toEqual([plugin]);
      expect(registry.types()).toEqual(plugin.descriptors.map((descriptor) => descriptor.type).sort());
    });
  });
}
