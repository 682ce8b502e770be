import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { augmentPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('augmentPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(augmentPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(augmentPlugin);
    expect(registry.registeredPlugins()).toEqual([augmentPlugin]);
    expect(registry.types()).toEqual(augmentPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
