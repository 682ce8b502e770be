import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { prunePlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('prunePlugin', () => {
  it('names itself as its package.json does', () => {
    expect(prunePlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(prunePlugin);
    expect(registry.registeredPlugins()).toEqual([prunePlugin]);
    expect(registry.types()).toEqual(prunePlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
