import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { yoloV7Plugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('yoloV7Plugin', () => {
  it('names itself as its package.json does', () => {
    expect(yoloV7Plugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(yoloV7Plugin);
    expect(registry.registeredPlugins()).toEqual([yoloV7Plugin]);
    expect(registry.types()).toEqual(yoloV7Plugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
