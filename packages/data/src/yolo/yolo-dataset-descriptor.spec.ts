import { join } from 'node:path';
import { container } from 'tsyringe';
import { ConfigLocation, InlineConfigSource, LOGGER, parsePipeline, PluginRegistry, type BuildContext, type Logger } from '@yolo-distill/core';
import { dataCheckStage } from '../check/data-check-stage.js';
import { writeTextFiles } from '../test-support/images.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { YoloDataset } from './yolo-dataset.js';
import { yoloDataset } from './yolo-dataset-descriptor.js';

const registry = (): PluginRegistry => new PluginRegistry([{ meta: { name: 'test', version: '0' }, descriptors: [yoloDataset, dataCheckStage] }]);
const at = new ConfigLocation(new InlineConfigSource('test.yaml'));

describe('data.YoloDataset', () => {
  const dir = useTempDir('yolo-descriptor');

  it('needs root; imgsz defaults to 640, invalid to error, cache to 0', () => {
    expect(yoloDataset.parse({ root: 'datasets/pets' }, at)).toEqual({ root: 'datasets/pets', imgsz: 640, invalid: 'error', cache: 0 });
    expect(yoloDataset.parse({ root: 'd/data.yaml', imgsz: 320, invalid: 'skip', cache: 512 }, at)).toEqual({ root: 'd/data.yaml', imgsz: 320, invalid: 'skip', cache: 512 });
  });

  it('reports bad fields at their file:line:col', () => {
    const text = ['data:', '  type: data.YoloDataset', '  imgsz: 8', '  invalid: ignore', '  cache: -1', '  rot: x', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(() => parsePipeline(text, 'pipeline.yaml', registry())).toThrow(
      [
        'pipeline.yaml:3:10: data.imgsz: expected a number >= 16, found number 8',
        'pipeline.yaml:4:12: data.invalid: expected one of "error", "skip", found string "ignore"',
        'pipeline.yaml:5:10: data.cache: expected a number >= 0, found number -1',
        "pipeline.yaml:6:3: data.rot: unknown key 'rot' (did you mean 'root'?)",
      ].join('\n'),
    );
  });

  it('creates a YoloDataset with the class names of data.yaml and the run logger', async () => {
    await writeTextFiles(dir(), { 'set/data.yaml': 'train: images/train\nval: images/val\nnames: [cat, dog]\n' });
    const child = container.createChildContainer();
    const warnings: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (message) => warnings.push(message) };
    child.registerInstance(LOGGER, logger);
    const context: BuildContext = { container: child, build: () => Promise.reject(new Error('no nested plugins')) };
    const dataset = await yoloDataset.create(yoloDataset.parse({ root: join(dir(), 'set'), imgsz: 320, invalid: 'skip' }, at), context);
    expect(dataset).toBeInstanceOf(YoloDataset);
    expect([dataset.name, dataset.root, dataset.imageSize, dataset.classNames]).toEqual(['yolo', join(dir(), 'set'), 320, ['cat', 'dog']]);
    await dataset.prepare();
    expect(warnings).toEqual([`YOLO dataset ${join(dir(), 'set')}: invalid: skip dropped 0 images and 0 objects over 2 problems:\n  images/train: train images folder not found\n  images/val: val images folder not found`]);
  });
});
