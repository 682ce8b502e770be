import { resolve } from 'node:path';
import { container } from 'tsyringe';
import { ConfigLocation, InlineConfigSource, parsePipeline, PluginRegistry, type BuildContext } from '@yolo-distill/core';
import { dataCheckStage } from '../check/data-check-stage.js';
import { ShapesDataset } from './shapes-dataset.js';
import { shapesDataset } from './shapes-descriptor.js';

const registry = (): PluginRegistry => new PluginRegistry([{ meta: { name: 'test', version: '0' }, descriptors: [shapesDataset, dataCheckStage] }]);
const at = new ConfigLocation(new InlineConfigSource('test.yaml'));

describe('data.Shapes', () => {
  it('defaults root to datasets/shapes, imgsz to 160 and the seed to 0', () => {
    expect(shapesDataset.parse({}, at)).toEqual({
      root: 'datasets/shapes',
      options: {
        imageSize: 160,
        classes: ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'],
        train: 64,
        val: 16,
        objects: [1, 6],
        scale: [0.06, 0.4],
        clutter: [0, 4],
        minVisible: 0.4,
        seed: 0,
      },
      regenerate: false,
    });
  });

  it('reads every field from a pipeline', () => {
    const text = [
      'data:',
      '  type: data.Shapes',
      '  root: /tmp/shapes-x',
      '  imgsz: 96',
      '  classes: [square, rectangle]',
      '  train: 10',
      '  val: 4',
      '  objects: [2, 3]',
      '  scale: [0.1, 0.3]',
      '  clutter: [1, 1]',
      '  minVisible: 0.5',
      '  seed: 9',
      '  regenerate: true',
      'stages:',
      '  - type: data.Check',
      '',
    ].join('\n');
    const spec = parsePipeline(text, 'pipeline.yaml', registry());
    expect(spec.data?.config).toEqual({
      root: '/tmp/shapes-x',
      options: { imageSize: 96, classes: ['square', 'rectangle'], train: 10, val: 4, objects: [2, 3], scale: [0.1, 0.3], clutter: [1, 1], minVisible: 0.5, seed: 9 },
      regenerate: true,
    });
  });

  it('reports bad fields at their file:line:col', () => {
    const text = ['data:', '  type: data.Shapes', '  imgsz: ten', '  classes: [circle, star]', '  objects: [4, 1]', '  sed: 3', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(() => parsePipeline(text, 'pipeline.yaml', registry())).toThrow(
      [
        'pipeline.yaml:3:10: data.imgsz: expected a number, found string "ten"',
        'pipeline.yaml:4:21: data.classes[1]: expected one of circle, ellipse, square, rectangle, triangle, hexagon, found string "star"',
        'pipeline.yaml:5:12: data.objects: expected [min, max] with min <= max, found a list of 2',
        "pipeline.yaml:6:3: data.sed: unknown key 'sed' (did you mean 'seed'?)",
      ].join('\n'),
    );
  });

  it('reads the fine variant from a pipeline, with its class names and defaults', () => {
    const text = ['data:', '  type: data.Shapes', '  root: datasets/shapes-fine', '  variant: fine', '  imgsz: 128', '  classes: [hexagon-outline, pentagon-outline, circle-outline]', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(parsePipeline(text, 'pipeline.yaml', registry()).data?.config).toEqual({
      root: 'datasets/shapes-fine',
      options: {
        imageSize: 128,
        variant: 'fine',
        classes: ['hexagon-outline', 'pentagon-outline', 'circle-outline'],
        train: 64,
        val: 16,
        objects: [1, 6],
        scale: [0.11, 0.45],
        clutter: [0, 4],
        decoys: [0, 2],
        minVisible: 0.6,
        seed: 0,
      },
      regenerate: false,
    });
  });

  it('reports bad fine-variant fields at their file:line:col', () => {
    const text = ['data:', '  type: data.Shapes', '  variant: fine', '  imgsz: 128', '  classes: [hexagon-outline, hexagon]', '  scale: [0.05, 0.4]', '  decoys: [2]', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(() => parsePipeline(text, 'pipeline.yaml', registry())).toThrow(
      [
        "pipeline.yaml:5:30: data.classes[1]: expected one of circle-solid, circle-outline, circle-two-tone, hexagon-solid, hexagon-outline, hexagon-striped, pentagon-solid, pentagon-outline, square-solid, square-outline, square-striped, square-two-tone, triangle-solid, triangle-outline, star-solid, cross-solid ('hexagon' is a class of variant classic: set variant: classic), found string \"hexagon\"",
        'pipeline.yaml:7:11: data.decoys: expected at least 2 item(s), found 1',
      ].join('\n'),
    );
    const tooSmall = ['data:', '  type: data.Shapes', '  variant: fine', '  imgsz: 128', '  scale: [0.05, 0.4]', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(() => parsePipeline(tooSmall, 'pipeline.yaml', registry())).toThrow(
      'pipeline.yaml:5:11: data.scale[0]: the fine variant needs objects of at least 12 px for their fill to show, but 0.05 x imgsz 128 = 6.4 px: use scale[0] >= 0.094 or a larger imgsz, found number 0.05',
    );
    const badVariant = ['data:', '  type: data.Shapes', '  variant: fien', 'stages:', '  - type: data.Check', ''].join('\n');
    expect(() => parsePipeline(badVariant, 'pipeline.yaml', registry())).toThrow('pipeline.yaml:3:12: data.variant: expected one of "classic", "fine", found string "fien"');
  });

  it('creates a ShapesDataset at the root resolved against the working directory', async () => {
    const context: BuildContext = { container: container.createChildContainer(), build: () => Promise.reject(new Error('no nested plugins')) };
    const dataset = await shapesDataset.create(shapesDataset.parse({ root: 'datasets/x', imgsz: 64, classes: 3 }, at), context);
    expect(dataset).toBeInstanceOf(ShapesDataset);
    expect(dataset.root).toBe(resolve('datasets/x'));
    expect(dataset.imageSize).toBe(64);
    expect(dataset.classNames).toEqual(['circle', 'ellipse', 'square']);
    expect(dataset.name).toBe('shapes');
  });
});
