import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@yolo-distill/core';
import { dataPlugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('dataPlugin', () => {
  it('names itself as its package.json does', () => {
    expect(dataPlugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('carries the shapes, YOLO and COCO datasets and the check stage', () => {
    const registry = new PluginRegistry().register(dataPlugin);
    expect(registry.types()).toEqual(['data.Check', 'data.CocoDataset', 'data.Shapes', 'data.YoloDataset']);
    expect(registry.types('dataset')).toEqual(['data.CocoDataset', 'data.Shapes', 'data.YoloDataset']);
    expect(registry.types('stage')).toEqual(['data.Check']);
  });
});
