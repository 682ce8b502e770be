import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { selectBackend } from '@yolo-distill/backend';
import {
  ConfigLocation,
  FileCheckpointStore,
  InlineConfigSource,
  LOGGER,
  PIPELINE_DATA,
  PIPELINE_TEACHER,
  PluginRegistry,
  type DatasetSource,
  type DetectionModel,
  type Logger,
  type Sample,
  type Split,
} from '@yolo-distill/core';
import * as tf from '@tensorflow/tfjs-core';
import { readLabelBoxes } from '../anchors/label-boxes.js';
import { readPredictedBoxes } from '../anchors/predicted-boxes.js';
import { refitAnchors } from '../anchors/refit-anchors.js';
import type { BoxWh } from '../anchors/wh-metrics.js';
import type { AnchorHeadSpec } from '../heads/head-spec.js';
import { TINY_V5_YAML, TINY_V8_YAML } from '../model/tiny-models.test.js';
import { YoloModel } from '../model/yolo-model.js';
import { ULTRALYTICS_MODULES, YOLOV5_MODULES } from '../modules/module-lists.js';
import { parseModelYaml } from '../yaml/model-yaml.js';
import { adapterModelDescriptor } from './model-descriptor.js';

// Stand-ins for yolov5.Model / yolov8.Model (this package cannot import the adapters): the shared
// descriptor over the tiny inline YAMLs, two-level heads with strides 8 and 16.
const tinyV5 = adapterModelDescriptor({
  type: 'tiny5.Model',
  summary: 'tiny v5-style model',
  scales: ['n'],
  defaultScale: 'n',
  build: ({ numClasses, seed }) => new YoloModel(parseModelYaml(TINY_V5_YAML, 'tiny-v5.yaml', { modules: YOLOV5_MODULES, numClasses }), { name: 'tiny-v5', seed }),
});
const tinyV8 = adapterModelDescriptor({
  type: 'tiny8.Model',
  summary: 'tiny v8-style model',
  scales: ['n'],
  defaultScale: 'n',
  build: ({ scale, numClasses, seed }) => new YoloModel(parseModelYaml(TINY_V8_YAML, 'tiny-v8.yaml', { modules: ULTRALYTICS_MODULES, scale, numClasses }), { name: 'tiny-v8', seed }),
});
const registry = new PluginRegistry([{ meta: { name: 'test', version: '0' }, descriptors: [tinyV5, tinyV8] }]);
const at = new ConfigLocation(new InlineConfigSource('pipeline.yaml'), ['student'], registry);

/** The tiny YAML's anchors, [10,13, 16,30, 33,23] and [30,61, 62,45, 59,119]. */
const YAML_ANCHORS: BoxWh[][] = [
  [
    [10, 13],
    [16, 30],
    [33, 23],
  ],
  [
    [30, 61],
    [62, 45],
    [59, 119],
  ],
];

/** An in-memory dataset of 64x64 images with the given box sizes (pixels), a few per image. */
function boxesData(sizes: readonly BoxWh[], perImage = 3): DatasetSource & { read: number[] } {
  const read: number[] = [];
  const images = Math.ceil(sizes.length / perImage);
  return {
    name: 'boxes',
    root: '/in-memory',
    classNames: ['a', 'b'],
    imageSize: 64,
    read,
    prepare: async () => undefined,
    size: (split: Split) => (split === 'train' ? images : 0),
    sample: async (_split: Split, index: number): Promise<Sample> => {
      read.push(index);
      const mine = sizes.slice(index * perImage, (index + 1) * perImage);
      const rows = Float32Array.from(mine.flatMap(([w, h], k) => [k % 2, 0.5, 0.5, w / 64, h / 64]));
      return { image: { data: new Float32Array(64 * 64 * 3), width: 64, height: 64 }, labels: { rows, count: mine.length }, source: `image-${index}` };
    },
  };
}

/** Wide, tall and square objects: the YAML's anchors reach only the square ones within 4x. */
const poorFit: BoxWh[] = Array.from({ length: 60 }, (_, i) => {
  const jitter = (i % 5) * 0.5;
  return ([[48 + jitter, 4], [3, 56 + jitter], [20 + jitter, 20]] as const)[i % 3] as BoxWh;
});

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

async function build(raw: Record<string, unknown>, data?: DatasetSource, logger?: Logger): Promise<YoloModel> {
  const run = container.createChildContainer();
  if (data) run.registerInstance(PIPELINE_DATA, data);
  if (logger) run.registerInstance(LOGGER, logger);
  const model = await registry.build(registry.parse<DetectionModel>('model', { type: 'tiny5.Model', ...raw }, at), run);
  return model as YoloModel;
}

const anchorsOf = (model: YoloModel) => (model.head as AnchorHeadSpec).anchors;

describe('<version>.Model anchors', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('anchors: refit fits the anchors to the training labels, logs the fitness and builds the model with them', async () => {
    const data = boxesData(poorFit);
    const logger = collectingLogger();
    const model = await build({ anchors: 'refit', seed: 1 }, data, logger);
    const expected = refitAnchors((await readLabelBoxes(data)).boxes, YAML_ANCHORS, { strides: [8, 16], seed: 1 });
    expect(expected.replaced).toBe(true);
    expect(anchorsOf(model)).toEqual(expected.anchors);
    expect(anchorsOf(model)).not.toEqual(YAML_ANCHORS);
    expect(expected.before.bpr).toBeCloseTo(1 / 3, 12);
    expect(expected.after.bpr).toBe(1);
    const fitness = logger.lines.find((line) => line.includes('anchor fitness'));
    expect(fitness).toMatch(/^info tiny-v5: anchor fitness: bpr 0\.3333 -> 1\.0000, mean best IoU 0\.\d{4} -> 0\.\d{4} \(60 label boxes from 20 boxes train images, [\d.]+s\)$/);
    expect(logger.lines.some((line) => /^info tiny-v5: refit anchors \[\[.*\]\] \(set them as 'anchors:'/.test(line))).toBe(true);
    expect((await model.saveState()).meta['anchors']).toEqual(expected.anchors);
    model.dispose();
  });

  it("anchors: refit from: teacher clusters the teacher's confident predicted boxes, not the labels", async () => {
    // Labels that fit the YAML anchors (squares), but a teacher that predicts the poorly fitting sizes.
    const data = boxesData(Array.from({ length: 60 }, () => [20, 20] as BoxWh));
    const teacher = {
      name: 'fake-teacher',
      headKind: 'anchor-based' as const,
      numClasses: 2,
      taps: [],
      forward: async () => ({ head: [], features: {} }),
      // Three boxes per image, far apart, score 0.9: the poorly fitting sizes in turn.
      decode: () => tf.tensor3d(Array.from({ length: 8 }, (_, image) => [0, 1, 2].map((k) => { const [w, h] = poorFit[(image * 3 + k) % 60] as BoxWh; return [10 + 20 * k, 10 + 20 * k, w, h, 0.9, 0.05]; })).flat(2), [8, 3, 6]),
      dispose: () => undefined,
    };
    const run = container.createChildContainer();
    run.registerInstance(PIPELINE_DATA, data);
    run.registerInstance(PIPELINE_TEACHER, teacher);
    const model = (await registry.build(registry.parse<DetectionModel>('model', { type: 'tiny5.Model', anchors: { refit: { from: 'teacher', seed: 1 } } }, at), run)) as YoloModel;
    const predicted = await readPredictedBoxes(data, () => teacher.decode(), { conf: 0.25 });
    expect(predicted.boxes.length).toBeGreaterThan(0);
    const expected = refitAnchors(predicted.boxes, YAML_ANCHORS, { strides: [8, 16], seed: 1 });
    expect(expected.replaced).toBe(true);
    expect(anchorsOf(model)).toEqual(expected.anchors);
    model.dispose();
    await expect(build({ anchors: { refit: { from: 'teacher' } } }, data)).rejects.toThrow(/from the teacher's predictions needs the pipeline's teacher/);
  });

  it('takes refit settings, reads only `images` images, and is deterministic for a seed', async () => {
    const data = boxesData(poorFit);
    const settings = { anchors: { refit: { seed: 4, iterations: 20, generations: 50, images: 10 } } };
    const a = await build(settings, data);
    expect(data.read).toHaveLength(10);
    const b = await build(settings, data);
    expect(anchorsOf(b)).toEqual(anchorsOf(a));
    const boxes = (await readLabelBoxes(data, { images: 10 })).boxes;
    expect(anchorsOf(a)).toEqual(refitAnchors(boxes, YAML_ANCHORS, { strides: [8, 16], seed: 4, iterations: 20, generations: 50 }).anchors);
    a.dispose();
    b.dispose();
  });

  it('keeps the YAML anchors when the refit is not better, and says so', async () => {
    // Labels exactly the size of the anchors: nothing fits better.
    const exact = Array.from({ length: 4 }, () => YAML_ANCHORS.flat()).flat();
    const logger = collectingLogger();
    const model = await build({ anchors: 'refit' }, boxesData(exact), logger);
    expect(anchorsOf(model)).toEqual(YAML_ANCHORS);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^info tiny-v5: anchor fitness: bpr 1\.0000 -> 1\.0000, mean best IoU 1\.0000 -> 1\.0000/));
    expect(logger.lines).toContainEqual(expect.stringMatching(/^info tiny-v5: kept the old anchors \[\[10,13, 16,30, 33,23\], \[30,61, 62,45, 59,119\]\]: the refitted .* are not better$/));
    model.dispose();
  });

  it('is a config error for an anchor-free head, before any label is read', async () => {
    const data = boxesData(poorFit);
    const run = container.createChildContainer();
    run.registerInstance(PIPELINE_DATA, data);
    await expect(registry.build(registry.parse('model', { type: 'tiny8.Model', anchors: 'refit' }, at), run)).rejects.toThrow(
      "pipeline.yaml:1:1: student: cannot build tiny8.Model: 'anchors' needs an anchor-based head, but tiny8.Model builds tiny-v8 with an anchor-free (DFL) head: it has no anchors to refit",
    );
    expect(data.read).toEqual([]);
  });

  it('needs the pipeline data to refit', async () => {
    await expect(build({ anchors: 'refit', classes: 2 })).rejects.toThrow("'anchors: refit' needs the pipeline's data (a 'data:' section) to read the training labels from");
    await expect(build({ anchors: 'refit' }, boxesData([]))).rejects.toThrow("'anchors: refit': no label boxes on the train split of boxes (0 image(s) read)");
  });

  it('takes anchors given per level in the YAML form', async () => {
    const model = await build({ classes: 2, anchors: [[4, 4, 8, 6, 9, 12], [20, 20, 30, 40, 50, 45]] });
    expect(anchorsOf(model)).toEqual([
      [
        [4, 4],
        [8, 6],
        [9, 12],
      ],
      [
        [20, 20],
        [30, 40],
        [50, 45],
      ],
    ]);
    model.dispose();
    await expect(build({ classes: 2, anchors: [[4, 4, 8, 6]] })).rejects.toThrow('tiny-v5.yaml: head[3] has anchors per level [3, 3], the new anchors have [2]');
  });

  it('a checkpoint saved with refit anchors brings them back when loaded as weights', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'yolo-distill-anchors-'));
    try {
      const trained = await build({ anchors: 'refit', seed: 1 }, boxesData(poorFit));
      const saved = await new FileCheckpointStore(folder).save({ stage: 0, stageName: 'train', label: 'stage-end' }, await trained.saveState());
      const logger = collectingLogger();
      const loaded = await build({ classes: 2, weights: saved.path }, undefined, logger);
      expect(anchorsOf(loaded)).toEqual(anchorsOf(trained));
      expect(loaded.weightsSource).toBe(saved.path);
      expect(await loaded.getWeights()['model.10.m.0.bias']?.data()).toEqual(await trained.getWeights()['model.10.m.0.bias']?.data());
      expect(logger.lines).toContainEqual(expect.stringMatching(/^info tiny-v5: anchors from the checkpoint .*stage-end: \[\[/));
      trained.dispose();
      loaded.dispose();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('says where an anchors setting is wrong', () => {
    const parse = (anchors: unknown) => () => registry.parse('model', { type: 'tiny5.Model', anchors }, at);
    expect(parse('refti')).toThrow(`pipeline.yaml:1:1: student.anchors: expected 'refit', { refit: { seed, iterations, generations, thr, images, from, conf } } or anchors per level in pixels like [[10,13, 16,30, 33,23], [30,61, 62,45, 59,119]], found "refti"`);
    expect(parse({ refti: {} })).toThrow("student.anchors.refti: unknown key 'refti'");
    expect(parse({ refit: { iterations: 0 } })).toThrow('student.anchors.refit.iterations: expected a number > 0, found number 0');
    expect(parse({ refit: { generation: 5 } })).toThrow("student.anchors.refit.generation: unknown key 'generation' (did you mean 'generations'?)");
    expect(parse([[4, 4, 8]])).toThrow('student.anchors[0]: anchors of level 0 must be an even-length list of positive w, h pixel values, found [4,4,8]');
    expect(parse({ refit: null })).not.toThrow();
  });
});
