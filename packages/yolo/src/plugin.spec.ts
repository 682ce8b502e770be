import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { yoloPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('yoloPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(yoloPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(yoloPlugin);
    expect(registry.registeredPlugins()).toEqual([yoloPlugin]);
    expect(registry.types()).toEqual(yoloPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
