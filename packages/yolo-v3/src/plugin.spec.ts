import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { yoloV3Plugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('yoloV3Plugin', () => {
  it('names itself as its package.json does', () => {
    expect(yoloV3Plugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(yoloV3Plugin);
    expect(registry.registeredPlugins()).toEqual([yoloV3Plugin]);
    expect(registry.types()).toEqual(yoloV3Plugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
