import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { trainerPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('trainerPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(trainerPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(trainerPlugin);
    expect(registry.registeredPlugins()).toEqual([trainerPlugin]);
    expect(registry.types()).toEqual(trainerPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
