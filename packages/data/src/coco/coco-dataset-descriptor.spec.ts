import { join, resolve } from 'node:path';
import { container } from 'tsyringe';
import { ConfigLocation, InlineConfigSource, parsePipeline, PluginRegistry, type BuildContext } from '@yolo-distill/core';
import { dataCheckStage } from '../check/data-check-stage.js';
import { writeTextFiles } from '../test-support/images.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { CocoDataset } from './coco-dataset.js';
import { cocoDataset, cocoOptionsOf } from './coco-dataset-descriptor.js';

const registry = (): PluginRegistry => new PluginRegistry([{ meta: { name: 'test', version: '0' }, descriptors: [cocoDataset, dataCheckStage] }]);
const at = new ConfigLocation(new InlineConfigSource('test.yaml'));
const pipeline = (...lines: string[]): string => ['data:', '  type: data.CocoDataset', ...lines.map((line) => `  ${line}`), 'stages:', '  - type: data.Check', ''].join('\n');

describe('data.CocoDataset', () => {
  const dir = useTempDir('coco-descriptor');

  it('reads two files with an images folder per split, or one file with a val fraction', () => {
    const two = cocoDataset.parse({ train: 'a/train.json', val: 'a/val.json', images: { train: 'a/train2017', val: 'a/val2017' } }, at);
    expect(two).toEqual({ train: 'a/train.json', val: 'a/val.json', images: { train: 'a/train2017', val: 'a/val2017' }, imgsz: 640, invalid: 'error', cache: 0 });
    expect(cocoOptionsOf(two)).toEqual({
      train: { annotations: resolve('a/train.json'), images: resolve('a/train2017') },
      val: { annotations: resolve('a/val.json'), images: resolve('a/val2017') },
      imageSize: 640,
      invalid: 'error',
      cache: 0,
    });
    const one = cocoDataset.parse({ train: 'all.json', val: 0.2, images: 'imgs', imgsz: 320, invalid: 'skip', splitSeed: 3 }, at);
    expect(cocoOptionsOf(one)).toEqual({ train: { annotations: resolve('all.json'), images: resolve('imgs') }, val: { fraction: 0.2, seed: 3 }, imageSize: 320, invalid: 'skip', cache: 0 });
  });

  it('reports bad fields at their file:line:col', () => {
    expect(() => parsePipeline(pipeline('train: t.json', 'val: 1.5', 'images: 3', 'cach: 2'), 'p.yaml', registry())).toThrow(
      [
        'p.yaml:4:8: data.val: expected a value < 1, found number 1.5',
        'p.yaml:5:11: data.images: expected an images folder or { train: folder, val: folder }, found number 3',
        "p.yaml:6:3: data.cach: unknown key 'cach' (did you mean 'cache'?)",
      ].join('\n'),
    );
    expect(() => parsePipeline(pipeline('train: t.json', 'val: 0.1', 'images: { train: a, val: b }'), 'p.yaml', registry())).toThrow(
      'p.yaml:5:11: data.images: with a val fraction both splits come from the train file: give one images folder',
    );
    expect(() => parsePipeline(pipeline('train: t.json', 'val: v.json', 'images: i', 'splitSeed: 1'), 'p.yaml', registry())).toThrow(
      'p.yaml:6:14: data.splitSeed: splitSeed only applies when val is a fraction',
    );
    expect(() => parsePipeline(pipeline('val: v.json', 'images: i'), 'p.yaml', registry())).toThrow("data: missing required field 'train'");
  });

  it('creates a CocoDataset whose class names come from the categories', async () => {
    const json = JSON.stringify({ images: [], annotations: [], categories: [{ id: 3, name: 'b' }, { id: 1, name: 'a' }] });
    await writeTextFiles(dir(), { 'train.json': json, 'val.json': json });
    const context: BuildContext = { container: container.createChildContainer(), build: () => Promise.reject(new Error('no nested plugins')) };
    const dataset = await cocoDataset.create(cocoDataset.parse({ train: join(dir(), 'train.json'), val: join(dir(), 'val.json'), images: join(dir(), 'images'), imgsz: 96 }, at), context);
    expect(dataset).toBeInstanceOf(CocoDataset);
    expect([dataset.name, dataset.imageSize, dataset.classNames]).toEqual(['coco', 96, ['a', 'b']]);
  });
});
