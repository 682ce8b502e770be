import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { yoloV8Plugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('yoloV8Plugin', () => {
  it('names itself as its package.json does', () => {
    expect(yoloV8Plugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(yoloV8Plugin);
    expect(registry.registeredPlugins()).toEqual([yoloV8Plugin]);
    expect(registry.types()).toEqual(yoloV8Plugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
