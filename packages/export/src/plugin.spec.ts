import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { exportPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('exportPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(exportPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('registers every descriptor it carries under its own type', () => {
    const registry = new PluginRegistry().register(exportPlugin);
    expect(registry.registeredPlugins()).toEqual([exportPlugin]);
    expect(registry.types()).toEqual(exportPlugin.descriptors.map((descriptor) => descriptor.type).sort());
  });
});
