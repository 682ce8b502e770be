import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { quantizePlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('quantizePlugin', () => {
  it('names itself as its package.json does', () => {
    expect(quantizePlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(quantizePlugin);
    expect(registry.registeredPlugins()).toEqual([quantizePlugin]);
    expect(registry.types()).toEqual(quantizePlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
