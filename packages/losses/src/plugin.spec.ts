import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { lossesPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('lossesPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(lossesPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(lossesPlugin);
    expect(registry.registeredPlugins()).toEqual([lossesPlugin]);
    expect(registry.types()).toEqual(lossesPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
