import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { evalPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('evalPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(evalPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(evalPlugin);
    expect(registry.registeredPlugins()).toEqual([evalPlugin]);
    expect(registry.types()).toEqual(evalPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
