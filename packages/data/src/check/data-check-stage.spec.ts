import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigLocation, InlineConfigSource } from '@yolo-distill/core';
import { ShapesDataset } from '../shapes/shapes-dataset.js';
import { resolveShapesOptions } from '../shapes/shapes-options.js';
import { testStageContext } from '../test-support/stage-context.js';
import { useTempDir } from '@yolo-distill/core/testing';
import { memoryDataset, writeYoloFixture } from '../test-support/yolo-fixture.js';
import { parseYoloLabels } from '../yolo-labels.js';
import { DatasetProblemsError } from '../invalid-policy.js';
import { writeSolidImage, writeTextFiles } from '../test-support/images.js';
import { YoloDataset } from '../yolo/yolo-dataset.js';
import { DataCheckStage, dataCheckStage } from './data-check-stage.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'));

describe('data.Check', () => {
  const dir = useTempDir('data-check');

  it('parses failOnProblems (default true) and images (default decode) and nothing else', () => {
    expect(dataCheckStage.parse({}, at)).toEqual({ failOnProblems: true, images: 'decode' });
    expect(dataCheckStage.parse({ failOnProblems: false, images: 'header' }, at)).toEqual({ failOnProblems: false, images: 'header' });
    expect(() => dataCheckStage.parse({ failOnProblems: 'no' }, at)).toThrow('failOnProblems: expected true or false, found string "no"');
    expect(() => dataCheckStage.parse({ fail: true }, at)).toThrow("unknown key 'fail'");
  });

  it('fails clearly when the pipeline has no dataset', async () => {
    const { context } = testStageContext(join(dir(), 'run'), {});
    await expect(new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context)).rejects.toThrow("data.Check needs the pipeline's dataset, but the pipeline has no 'data:' entry");
  });

  it('writes data-check.json, emits metrics and logs the tables; fails listing the problems', async () => {
    const root = join(dir(), 'yolo');
    await writeYoloFixture(root);
    const { context, events, lines } = testStageContext(join(dir(), 'run'), { data: memoryDataset(root, ['a', 'b', 'c'], { train: [], val: [] }) });
    // The fixture's image files are placeholders: labels only here (images are the next tests').
    const run = new DataCheckStage({ failOnProblems: true, images: 'none' }).run(context);
    await expect(run).rejects.toThrow(
      `data check of ${root} failed: 3 problems:\n  labels/train/0003.txt:2: class 5 out of range 0..2 (nc=3)\n  labels/train/0003.txt:3: expected 5 numbers, found 4\n  labels/train/orphan.txt: label file without an image\n`,
    );
    const written = JSON.parse(await readFile(join(dir(), 'run', 'data-check.json'), 'utf8')) as { splits: unknown; problems: unknown[] };
    expect(written.splits).toEqual({
      train: { images: 4, objects: 3, background: 2, missingLabels: 1, perClass: { a: 1, b: 1, c: 1 } },
      val: { images: 1, objects: 2, background: 0, missingLabels: 0, perClass: { a: 0, b: 0, c: 2 } },
    });
    expect(written.problems).toHaveLength(3);
    expect(events.map((event) => (event.type === 'metric' ? `${event.stage} ${event.name}=${event.value}` : event.type))).toEqual([
      '2 train.images=4',
      '2 train.objects=3',
      '2 train.background=2',
      '2 val.images=1',
      '2 val.objects=2',
      '2 val.background=0',
      '2 problems=3',
    ]);
    expect(lines).toContain(`train${' '.repeat(7)}4${' '.repeat(8)}3${' '.repeat(11)}2${' '.repeat(10)}1`);
    // Printed once: the error lists the problems, the log only the tables.
    expect(lines).not.toContain('  labels/train/orphan.txt: label file without an image');
  });

  it('only reports with failOnProblems: false', async () => {
    const root = join(dir(), 'yolo');
    await writeYoloFixture(root);
    const { context } = testStageContext(join(dir(), 'run'), { data: memoryDataset(root, ['a', 'b', 'c'], { train: [], val: [] }) });
    await new DataCheckStage({ failOnProblems: false, images: 'none' }).run(context);
    const written = JSON.parse(await readFile(join(dir(), 'run', 'data-check.json'), 'utf8')) as { problems: unknown[] };
    expect(written.problems).toHaveLength(3);
  });

  it('checks a dataset without data.yaml by loading its samples', async () => {
    const image = { data: new Float32Array(12), width: 2, height: 2 };
    const data = memoryDataset(join(dir(), 'none'), ['a'], {
      train: [{ image, labels: { rows: Float32Array.from([0, 0.5, 0.5, 0.1, 0.1]), count: 1 }, source: 'm' }],
      val: [new Error('broken image')],
    });
    const { context, events } = testStageContext(join(dir(), 'run'), { data });
    await expect(new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context)).rejects.toThrow('val[0]: broken image');
    expect(events.filter((event) => event.type === 'metric' && event.name === 'train.objects').map((event) => (event.type === 'metric' ? event.value : -1))).toEqual([1]);
  });

  it('prepares a shapes dataset and finds it clean, with the objects its label files hold', async () => {
    const options = resolveShapesOptions({ imageSize: 32, train: 4, val: 2, objects: [1, 3] });
    const root = join(dir(), 'shapes');
    const { context, events } = testStageContext(join(dir(), 'run'), { data: new ShapesDataset(root, options) });
    await new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context);
    let trainObjects = 0;
    for (let i = 0; i < 4; i++) {
      trainObjects += parseYoloLabels(await readFile(join(root, 'labels', 'train', `00000${i}.txt`), 'utf8'), { file: 'x' }).boxes.length;
    }
    const metric = (name: string): number | undefined => {
      const event = events.find((candidate) => candidate.type === 'metric' && candidate.name === name);
      return event?.type === 'metric' ? event.value : undefined;
    };
    expect(metric('train.images')).toBe(4);
    expect(metric('val.images')).toBe(2);
    expect(metric('train.objects')).toBe(trainObjects);
    expect(metric('problems')).toBe(0);
  });

  it('reports a YoloDataset whose prepare() refuses its problems, images included', async () => {
    const root = join(dir(), 'pets');
    await writeTextFiles(root, {
      'data.yaml': 'train: images/train\nval: images/val\nnames: [cat]\n',
      'labels/train/a.txt': '0 0.5 0.5 0.2\n0 0.5 0.5 0.2 0.2\n',
      'images/train/bad.png': 'not an image',
    });
    await writeSolidImage(join(root, 'images/train/a.png'), 8, 8);
    await writeSolidImage(join(root, 'images/val/v.png'), 8, 8);
    const { context } = testStageContext(join(dir(), 'run'), { data: await YoloDataset.open(root) });
    await new DataCheckStage({ failOnProblems: false, images: 'decode' }).run(context);
    const written = JSON.parse(await readFile(join(dir(), 'run', 'data-check.json'), 'utf8')) as { splits: { train: { images: number; objects: number } }; problems: { file: string; line?: number }[] };
    expect(written.splits.train).toMatchObject({ images: 2, objects: 1 });
    expect(written.problems.map((problem) => `${problem.file}:${problem.line ?? ''}`)).toEqual(['labels/train/a.txt:1', 'images/train/bad.png:']);
  });

  it('reports any other dataset whose prepare() refuses its problems, with empty counts', async () => {
    const data = { ...memoryDataset(join(dir(), 'coco'), ['a'], { train: [], val: [] }), prepare: () => Promise.reject(new DatasetProblemsError('COCO dataset x', [{ file: 'ann.json', message: 'annotation 3: box [0, 0, 0, 1] has zero size' }])) };
    const { context } = testStageContext(join(dir(), 'run'), { data });
    await expect(new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context)).rejects.toThrow('ann.json: annotation 3: box [0, 0, 0, 1] has zero size');
  });

  it('decodes every image by default: a truncated PNG whose header reads fine is a problem before training', async () => {
    const root = join(dir(), 'truncated');
    await writeTextFiles(root, { 'data.yaml': 'train: images/train\nval: images/val\nnames: [cat]\n', 'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n' });
    await writeSolidImage(join(root, 'images/train/a.png'), 64, 64);
    await writeSolidImage(join(root, 'images/train/b.png'), 64, 64);
    await writeSolidImage(join(root, 'images/val/v.png'), 8, 8);
    const whole = await readFile(join(root, 'images/train/b.png'));
    await writeFile(join(root, 'images/train/b.png'), whole.subarray(0, Math.floor(whole.length / 2)));
    const { context } = testStageContext(join(dir(), 'run'), { data: await YoloDataset.open(root) });
    await expect(new DataCheckStage({ failOnProblems: true, images: 'header' }).run(context)).resolves.toBeUndefined();
    await expect(new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context)).rejects.toThrow(/failed: 1 problem:\n {2}images\/train\/b\.png: cannot read image: /);
  });

  it('fails on an empty training split, and prints the problems once (in the error, not also in the log)', async () => {
    const root = join(dir(), 'empty');
    await writeTextFiles(root, { 'data.yaml': 'train: images/train\nval: images/val\nnames: [cat]\n' });
    await mkdir(join(root, 'images/train'), { recursive: true });
    await writeSolidImage(join(root, 'images/val/v.png'), 8, 8);
    const { context, lines } = testStageContext(join(dir(), 'run'), { data: await YoloDataset.open(root) });
    await expect(new DataCheckStage({ failOnProblems: true, images: 'decode' }).run(context)).rejects.toThrow(`failed: 1 problem:\n  data.yaml: the train split has no images: nothing to train on`);
    expect(lines.join('\n')).not.toContain('nothing to train on');
  });
});
