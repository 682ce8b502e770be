import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { EXIT, type CliIO } from '../cli-io.js';
import { evalPredictionsCommand } from './eval-command.js';

/**
 * A two-image dataset. a.png is 100 x 50: circle (10,10)-(30,30), square (60,15)-(80,35); b.png is
 * 40 x 40: circle (10,10)-(30,30). Predictions: a: circle exact 0.9, square exact 0.8, circle far away 0.7
 * (FP); b: circle exact 0.6.
 *
 * COCO: every true positive has IoU 1, so all ten thresholds agree. Circle: TP, FP, TP over 2 truths ->
 * recall .5 .5 1, precision 1 .5 2/3 -> monotone 1 2/3 2/3 -> 51 of 101 recall points read 1, 50 read 2/3.
 * Square: one exact detection -> 1. mAP = mAP50 = mAP75 = (circle + 1) / 2.
 * Ultralytics P/R: below 0.6 the circle has P 2/3, R 1 (F1 .8) and the square P 1, R 1 -> mean F1 .9,
 * the highest anywhere; after smoothing the plateau still wins, at its first grid point (confidence 0).
 */
const circle = (51 + (50 * 2) / 3) / 101;
const map = (circle + 1) / 2;

const LABELS = { a: '0 0.2 0.4 0.2 0.4\n1 0.7 0.5 0.2 0.4\n', b: '0 0.5 0.5 0.5 0.5\n' };
const PREDICTIONS = { a: '0 0.2 0.4 0.2 0.4 0.9\n1 0.7 0.5 0.2 0.4 0.8\n0 0.9 0.1 0.1 0.1 0.7\n', b: '0 0.5 0.5 0.5 0.5 0.6\n' };

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), interactive: false, env: {} },
    out: () => out,
    err: () => err,
  };
}

async function image(path: string, width: number, height: number): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } }).png().toFile(path);
}

describe('evalPredictionsCommand', () => {
  let dir: string;
  let data: string;
  let preds: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eval-cmd-'));
    data = join(dir, 'data');
    preds = join(dir, 'preds');
    for (const sub of ['images/val', 'labels/val', 'images/train']) await mkdir(join(data, sub), { recursive: true });
    await mkdir(preds);
    await writeFile(join(data, 'data.yaml'), 'path: .\ntrain: images/train\nval: images/val\nnames: [circle, square]\n');
    await image(join(data, 'images/val/a.png'), 100, 50);
    await image(join(data, 'images/val/b.png'), 40, 40);
    await writeFile(join(data, 'labels/val/a.txt'), LABELS.a);
    await writeFile(join(data, 'labels/val/b.txt'), LABELS.b);
    await writeFile(join(preds, 'a.txt'), PREDICTIONS.a);
    await writeFile(join(preds, 'b.txt'), PREDICTIONS.b);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the table with the hand-worked AP and P/R at the best-F1 confidence', async () => {
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data }, cap.io)).toBe(EXIT.ok);
    expect(cap.err()).toBe('');
    const lines = cap.out().split('\n');
    expect(lines[0]).toBe(`predictions ${preds} (2 txt file(s)); val split of ${data} (2 images)`);
    expect(lines.slice(1, 5)).toEqual([
      'class    images  instances        P        R     AP50  AP50-95',
      `all           2          3    0.833    1.000    ${map.toFixed(3)}    ${map.toFixed(3)}`,
      `circle        2          2    0.667    1.000    ${circle.toFixed(3)}    ${circle.toFixed(3)}`,
      'square        1          1    1.000    1.000    1.000    1.000',
    ]);
    expect(lines[5]).toBe(`mAP75 ${map.toFixed(3)}; P and R at confidence 0.000 (best mean F1 0.900); AP is COCO's (pycocotools), P/R Ultralytics'`);
  });

  it('prints JSON with --json', async () => {
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data, json: true }, cap.io)).toBe(EXIT.ok);
    const report = JSON.parse(cap.out()) as Record<string, unknown> & { classes: Record<string, unknown>[]; coco: Record<string, number> };
    expect(report).toMatchObject({ split: 'val', format: 'yolo-txt', images: 2, instances: 3, confidence: 0 });
    expect(report['map']).toBeCloseTo(map, 10);
    expect(report['map50']).toBeCloseTo(map, 10);
    expect(report['precision']).toBeCloseTo(5 / 6, 10);
    expect(report['recall']).toBeCloseTo(1, 10);
    expect(report.classes.map((c) => [c['name'], c['cls'], c['instances'], c['predictions']])).toEqual([
      ['circle', 0, 2, 3],
      ['square', 1, 1, 1],
    ]);
    expect(report.classes[0]?.['ap']).toBeCloseTo(circle, 10);
    expect(report.coco['mapSmall']).toBeCloseTo(map, 10);
  });

  it('reads COCO results json: image_id = file stem, category_id - base = class', async () => {
    const results = [
      { image_id: 'a', category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 'a', category_id: 2, bbox: [60, 15, 20, 20], score: 0.8 },
      { image_id: 'a', category_id: 1, bbox: [85, 2.5, 10, 5], score: 0.7 },
      { image_id: 'b', category_id: 1, bbox: [10, 10, 20, 20], score: 0.6 },
    ];
    await writeFile(join(dir, 'results.json'), JSON.stringify(results));
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: join(dir, 'results.json'), data, json: true, categoryBase: '1' }, cap.io)).toBe(EXIT.ok);
    const report = JSON.parse(cap.out()) as Record<string, number>;
    expect(report['format']).toBe('coco-json');
    expect(report['map']).toBeCloseTo(map, 10);
  });

  describe('against a COCO ground-truth json', () => {
    // The same scene as a COCO instances file: images 7 (a) and 9 (b), categories 1 (circle) and 3 (square).
    // The square's segment area is 2000: medium by COCO's area, small by its 20 x 20 box.
    const gt = {
      images: [{ id: 7, file_name: 'a.png', width: 100, height: 50 }, { id: 9, file_name: 'b.png', width: 40, height: 40 }],
      categories: [{ id: 1, name: 'circle' }, { id: 3, name: 'square' }],
      annotations: [
        { id: 1, image_id: 7, category_id: 1, bbox: [10, 10, 20, 20], area: 400, iscrowd: 0 },
        { id: 2, image_id: 7, category_id: 3, bbox: [60, 15, 20, 20], area: 2000, iscrowd: 0 },
        { id: 3, image_id: 9, category_id: 1, bbox: [10, 10, 20, 20], area: 400, iscrowd: 0 },
      ],
    };
    const results = (square = 3) => [
      { image_id: 7, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 7, category_id: square, bbox: [60, 15, 20, 20], score: 0.8 },
      { image_id: 7, category_id: 1, bbox: [85, 2.5, 10, 5], score: 0.7 },
      { image_id: 9, category_id: 1, bbox: [10, 10, 20, 20], score: 0.6 },
    ];

    it("scores COCO results by image and category id, filing truths by COCO's area", async () => {
      await writeFile(join(dir, 'gt.json'), JSON.stringify(gt));
      await writeFile(join(dir, 'results.json'), JSON.stringify(results()));
      const cap = capture();
      expect(await evalPredictionsCommand({ predictions: join(dir, 'results.json'), data: join(dir, 'gt.json'), json: true }, cap.io), cap.err()).toBe(EXIT.ok);
      const report = JSON.parse(cap.out()) as { map: number; images: number; coco: { mapSmall: number; mapMedium: number; mapLarge: number } };
      expect(report.images).toBe(2);
      expect(report.map).toBeCloseTo(map, 10);
      expect(report.coco.mapSmall).toBeCloseTo(circle, 10); // only the circles are small
      expect(report.coco.mapMedium).toBeCloseTo(1, 10); // the square, by its area
      expect(report.coco.mapLarge).toBe(-1);
    });

    it('names a category id the ground truth does not have (exit 2)', async () => {
      await writeFile(join(dir, 'gt.json'), JSON.stringify(gt));
      await writeFile(join(dir, 'results.json'), JSON.stringify(results(2)));
      const cap = capture();
      expect(await evalPredictionsCommand({ predictions: join(dir, 'results.json'), data: join(dir, 'gt.json') }, cap.io)).toBe(EXIT.badInput);
      expect(cap.err()).toContain(`category_id 2 is not a category of the ground truth ${join(dir, 'gt.json')}`);
    });
  });

  it('matches numeric image ids to numeric file stems, as Ultralytics writes them', async () => {
    await image(join(data, 'images/val/000139.png'), 20, 20);
    await writeFile(join(dir, 'results.json'), JSON.stringify([{ image_id: 139, category_id: 0, bbox: [0, 0, 5, 5], score: 0.5 }]));
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: join(dir, 'results.json'), data, json: true }, cap.io)).toBe(EXIT.ok);
    expect((JSON.parse(cap.out()) as { images: number }).images).toBe(3);
  });

  it('names the file and line of bad prediction lines', async () => {
    await writeFile(join(preds, 'a.txt'), '0 0.2 0.4 0.2 0.4 0.9\n0 0.2 0.4 0.2 0.4\n7 0.5 0.5 0.1 0.1 0.3\n');
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data }, cap.io)).toBe(EXIT.badInput);
    expect(cap.out()).toBe('');
    expect(cap.err()).toBe(
      [
        'error: bad predictions:',
        `${join(preds, 'a.txt')}:2: expected 6 numbers "cls cx cy w h score", found 5: the score is missing (Ultralytics writes it with save_conf=True)`,
        `${join(preds, 'a.txt')}:3: class 7 out of range 0..1 (nc=2)`,
        '',
      ].join('\n'),
    );
  });

  it('names prediction files and results without an image', async () => {
    await writeFile(join(preds, 'c.txt'), '0 0.5 0.5 0.1 0.1 0.3\n');
    const cap = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data }, cap.io)).toBe(EXIT.badInput);
    expect(cap.err()).toContain(`${join(preds, 'c.txt')}: no image named c.* in ${join(data, 'images/val')}`);

    await writeFile(join(dir, 'r.json'), JSON.stringify([{ image_id: 'zz', category_id: 0, bbox: [0, 0, 1, 1], score: 0.5 }]));
    const json = capture();
    expect(await evalPredictionsCommand({ predictions: join(dir, 'r.json'), data }, json.io)).toBe(EXIT.badInput);
    expect(json.err()).toContain(`${join(dir, 'r.json')}: image_id "zz" names no image of the val split (${join(data, 'images/val')})`);
  });

  it('reports bad labels, flags and folders as bad input', async () => {
    await writeFile(join(data, 'labels/val/b.txt'), '0 0.5 0.5 0.5\n');
    const labels = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data }, labels.io)).toBe(EXIT.badInput);
    expect(labels.err()).toContain(`${join(data, 'labels/val/b.txt')}:1: expected 5 numbers, found 4`);

    const split = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data, split: 'test' }, split.io)).toBe(EXIT.badInput);
    expect(split.err()).toBe("error: --split must be one of train, val, got 'test'\n");

    const empty = capture();
    expect(await evalPredictionsCommand({ predictions: preds, data, split: 'train' }, empty.io)).toBe(EXIT.badInput);
    expect(empty.err()).toContain(`${join(data, 'images/train')}: no images`);

    const missing = capture();
    expect(await evalPredictionsCommand({ predictions: join(dir, 'nope'), data: join(dir, 'nothing') }, missing.io)).toBe(EXIT.badInput);
    expect(missing.err()).toContain(`${join(dir, 'nothing', 'data.yaml')}: not found`);
  });
});
