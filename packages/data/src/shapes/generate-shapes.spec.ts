import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../image-decode.js';
import { parseYoloLabels } from '../yolo-labels.js';
import { Canvas } from './canvas.js';
import { FINE_CLASSES, shapeClassName } from './fine-classes.js';
import { ensureShapesDataset, generateShapesDataset, removeStaleTemporaries, renderShapesImage } from './generate-shapes.js';
import { shapePaint } from './shape-paint.js';
import { shapeRegion, type ShapeSpec } from './shape-region.js';
import { resolveShapesOptions, type ShapesOptions } from './shapes-options.js';
import { useTempDir } from '@yolo-distill/core/testing';

const small = resolveShapesOptions({ imageSize: 48, train: 3, val: 2, objects: [1, 4], seed: 7 });

async function labelTexts(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const split of ['train', 'val']) {
    for (const file of (await readdir(join(root, 'labels', split))).sort()) out[`${split}/${file}`] = await readFile(join(root, 'labels', split, file), 'utf8');
  }
  return out;
}

describe('generateShapesDataset', () => {
  const dir = useTempDir('shapes-gen');

  it('writes a YOLO folder: images, labels, data.yaml and shapes.json', async () => {
    const root = join(dir(), 'shapes');
    await generateShapesDataset(root, small);
    expect((await readdir(root)).sort()).toEqual(['data.yaml', 'images', 'labels', 'shapes.json']);
    expect((await readdir(join(root, 'images', 'train'))).sort()).toEqual(['000000.png', '000001.png', '000002.png']);
    expect((await readdir(join(root, 'labels', 'val'))).sort()).toEqual(['000000.txt', '000001.txt']);
    expect(await readFile(join(root, 'data.yaml'), 'utf8')).toBe(
      `path: .\ntrain: images/train\nval: images/val\nnc: 6\nnames:\n  - circle\n  - ellipse\n  - square\n  - rectangle\n  - triangle\n  - hexagon\n`,
    );
    const manifest = JSON.parse(await readFile(join(root, 'shapes.json'), 'utf8')) as { version: number; options: ShapesOptions };
    expect(manifest.options).toEqual(small);
    const image = await decodeImage(join(root, 'images', 'train', '000001.png'));
    expect([image.width, image.height, image.data.length]).toEqual([48, 48, 48 * 48 * 3]);
    expect((await readdir(dir())).sort()).toEqual(['shapes']); // no temporary folder left
  });

  it('writes valid labels: classes in range, coordinates 0..1, six decimals', async () => {
    const root = join(dir(), 'shapes');
    await generateShapesDataset(root, resolveShapesOptions({ imageSize: 64, train: 12, val: 4, objects: [2, 6] }));
    let objects = 0;
    for (const [file, text] of Object.entries(await labelTexts(root))) {
      const parsed = parseYoloLabels(text, { file, numClasses: 6 });
      expect(parsed.problems).toEqual([]);
      objects += parsed.boxes.length;
      for (const line of text.trim().split('\n').filter(Boolean)) expect(line).toMatch(/^[0-5]( [01]\.\d{6}){4}$/);
    }
    expect(objects).toBeGreaterThan(16);
  });

  it('is deterministic: same options and seed give byte-identical labels and images', async () => {
    await generateShapesDataset(join(dir(), 'a'), small);
    await generateShapesDataset(join(dir(), 'b'), small);
    await generateShapesDataset(join(dir(), 'c'), { ...small, seed: 8 });
    expect(await labelTexts(join(dir(), 'b'))).toEqual(await labelTexts(join(dir(), 'a')));
    expect(await labelTexts(join(dir(), 'c'))).not.toEqual(await labelTexts(join(dir(), 'a')));
    for (const name of ['train/000000.png', 'val/000001.png']) {
      const a = await readFile(join(dir(), 'a', 'images', name));
      const b = await readFile(join(dir(), 'b', 'images', name));
      expect(a.equals(b)).toBe(true);
    }
  });

  it('keeps the val images when only the train count changes', async () => {
    await generateShapesDataset(join(dir(), 'a'), small);
    await generateShapesDataset(join(dir(), 'b'), { ...small, train: 5 });
    const a = await labelTexts(join(dir(), 'a'));
    const b = await labelTexts(join(dir(), 'b'));
    expect(b['val/000001.txt']).toBe(a['val/000001.txt']);
    expect(b['train/000002.txt']).toBe(a['train/000002.txt']);
  });

  it('writes what was drawn: label boxes are the shapes\' bounds, the top shape\'s colour is at its centre', async () => {
    const options = resolveShapesOptions({ imageSize: 64, train: 1, val: 1, objects: [3, 3], minVisible: 0, seed: 3 });
    const root = join(dir(), 'shapes');
    await generateShapesDataset(root, options);
    const { scene } = renderShapesImage(options, 'train', 0);
    const labels = parseYoloLabels(await readFile(join(root, 'labels', 'train', '000000.txt'), 'utf8'), { file: 'x' }).boxes;
    expect(labels).toHaveLength(3);
    for (const [i, shape] of scene.shapes.entries()) {
      const b = shapeRegion(shape).bounds;
      expect(labels[i]?.cls).toBe((options.classes as readonly string[]).indexOf(shape.kind));
      expect(labels[i]?.cx).toBeCloseTo((b.x0 + b.x1) / 2 / 64, 6);
      expect(labels[i]?.w).toBeCloseTo((b.x1 - b.x0) / 64, 6);
      expect(labels[i]?.h).toBeCloseTo((b.y1 - b.y0) / 64, 6);
    }
    const top = scene.shapes[2];
    if (!top) throw new Error('expected three shapes');
    const image = await decodeImage(join(root, 'images', 'train', '000000.png'));
    const i = (Math.floor(top.cy) * 64 + Math.floor(top.cx)) * 3;
    const tolerance = 4 * scene.grain.amplitude + 1;
    for (let c = 0; c < 3; c++) expect(Math.abs((image.data[i + c] as number) * 255 - (top.colour[c] as number))).toBeLessThanOrEqual(tolerance);
  });

  it('leaves nothing behind when generation fails, and keeps an older dataset', async () => {
    const root = join(dir(), 'shapes');
    const broken = { ...small, classes: [] };
    await expect(generateShapesDataset(root, broken)).rejects.toThrow('planScene needs at least one class');
    expect(await readdir(dir())).toEqual([]);
    await generateShapesDataset(root, small);
    const before = await labelTexts(root);
    await expect(generateShapesDataset(root, broken)).rejects.toThrow();
    expect(await readdir(dir())).toEqual(['shapes']);
    expect(await labelTexts(root)).toEqual(before);
  });
});

describe('ensureShapesDataset', () => {
  const dir = useTempDir('shapes-ensure');

  it('generates, then reuses, then regenerates when the options change', async () => {
    const root = join(dir(), 'shapes');
    expect(await ensureShapesDataset(root, small)).toBe('generated');
    expect(await ensureShapesDataset(root, small)).toBe('reused');
    expect(await ensureShapesDataset(root, { ...small, val: 3 })).toBe('regenerated');
    expect(await readdir(join(root, 'images', 'val'))).toHaveLength(3);
  });

  it('refuses to regenerate a folder of other settings in place unless allowed, naming what differs; still repairs missing files', async () => {
    const root = join(dir(), 'kept');
    expect(await ensureShapesDataset(root, small)).toBe('generated');
    await expect(ensureShapesDataset(root, { ...small, val: small.val + 1, seed: 4 }, { regenerate: false })).rejects.toThrow(
      `${root} holds a shapes dataset generated with other settings (val ${small.val} -> ${small.val + 1}, seed ${small.seed} -> 4); refusing to regenerate it in place, which would change the data of every run that uses it. Point 'root' at another folder, or set 'regenerate: true' on data.Shapes.`,
    );
    await rm(join(root, 'images', 'val'), { recursive: true });
    expect(await ensureShapesDataset(root, small, { regenerate: false })).toBe('regenerated');
  });

  it('regenerates when files went missing', async () => {
    const root = join(dir(), 'shapes');
    await ensureShapesDataset(root, small);
    await rm(join(root, 'images', 'train', '000001.png'));
    expect(await ensureShapesDataset(root, small)).toBe('regenerated');
    expect(await readdir(join(root, 'images', 'train'))).toHaveLength(3);
  });

  it('generates into an empty folder but refuses a folder it did not make', async () => {
    const empty = join(dir(), 'empty');
    await mkdir(empty);
    expect(await ensureShapesDataset(empty, small)).toBe('generated');
    const foreign = join(dir(), 'mine');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me');
    await expect(ensureShapesDataset(foreign, small)).rejects.toThrow(`${foreign} is not empty and has no shapes.json`);
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('removes temporary folders of dead generations only', async () => {
    const root = join(dir(), 'shapes');
    const dead = join(dir(), 'shapes.tmp-99999999-abcd1234'); // above Linux's pid_max
    const live = join(dir(), `shapes.tmp-${process.pid}-abcd1234`);
    await mkdir(dead);
    await mkdir(live);
    expect(await removeStaleTemporaries(root)).toEqual([dead]);
    expect((await readdir(dir())).sort()).toEqual([`shapes.tmp-${process.pid}-abcd1234`]);
  });
});

/** The box of the pixels a shape paints at least half, drawn alone: what a tight label must match. */
function paintedBox(shape: ShapeSpec, size: number): { x0: number; y0: number; x1: number; y1: number } {
  const canvas = new Canvas(size, size);
  canvas.paint(shapePaint(shape), 0);
  let [x0, y0, x1, y1] = [size, size, 0, 0];
  canvas.owner.forEach((owner, pixel) => {
    if (owner !== 0) return;
    const x = pixel % size;
    const y = Math.floor(pixel / size);
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
  });
  return { x0, y0, x1, y1 };
}

describe('generateShapesDataset, fine variant', () => {
  const dir = useTempDir('shapes-fine');

  const fine = resolveShapesOptions({ variant: 'fine', imageSize: 128, train: 40, val: 8, objects: [3, 6], seed: 11 });

  it('writes every class with valid labels, and data.yaml names the sixteen classes', async () => {
    const root = join(dir(), 'fine');
    await generateShapesDataset(root, fine);
    expect(await readFile(join(root, 'data.yaml'), 'utf8')).toBe(`path: .\ntrain: images/train\nval: images/val\nnc: 16\nnames:\n${FINE_CLASSES.map((name) => `  - ${name}\n`).join('')}`);
    const counts = new Array<number>(16).fill(0);
    for (const [file, text] of Object.entries(await labelTexts(root))) {
      const parsed = parseYoloLabels(text, { file, numClasses: 16 });
      expect(parsed.problems).toEqual([]);
      for (const box of parsed.boxes) counts[box.cls] = (counts[box.cls] as number) + 1;
    }
    expect(counts.every((count) => count > 0)).toBe(true);
    const manifest = JSON.parse(await readFile(join(root, 'shapes.json'), 'utf8')) as { options: ShapesOptions };
    expect(manifest.options).toEqual(fine);
    expect(await ensureShapesDataset(root, fine)).toBe('reused');
    expect(await ensureShapesDataset(root, { ...fine, decoys: [0, 0] })).toBe('regenerated');
  });

  it('is deterministic: same options and seed give byte-identical files, another seed others', async () => {
    const small = { ...fine, train: 6, val: 3 };
    await generateShapesDataset(join(dir(), 'a'), small);
    await generateShapesDataset(join(dir(), 'b'), small);
    await generateShapesDataset(join(dir(), 'c'), { ...small, seed: 12 });
    expect(await labelTexts(join(dir(), 'b'))).toEqual(await labelTexts(join(dir(), 'a')));
    expect(await labelTexts(join(dir(), 'c'))).not.toEqual(await labelTexts(join(dir(), 'a')));
    for (const split of ['train', 'val']) {
      for (const name of await readdir(join(dir(), 'a', 'images', split))) {
        const a = await readFile(join(dir(), 'a', 'images', split, name));
        expect(a.equals(await readFile(join(dir(), 'b', 'images', split, name)))).toBe(true);
      }
    }
  });

  it('labels tight boxes of shapes no smaller than the scale allows, and never a decoy', () => {
    const smallest = fine.scale[0] * fine.imageSize;
    let checked = 0;
    for (let index = 0; index < 40; index++) {
      const { scene, labels } = renderShapesImage(fine, 'train', index);
      const labelled = scene.shapes.filter((shape) => !shape.decoy);
      // labels come in drawing order; match each to its shape by class and box
      for (const label of labels) {
        const shape = labelled.find((candidate) => {
          const b = shapeRegion(candidate).bounds;
          return (fine.classes as readonly string[]).indexOf(shapeClassName(candidate.kind, candidate.fill?.style)) === label.cls && Math.abs((b.x0 + b.x1) / 2 / 128 - label.cx) < 1e-6 && Math.abs((b.y0 + b.y1) / 2 / 128 - label.cy) < 1e-6;
        });
        if (!shape) throw new Error(`no shape for label ${JSON.stringify(label)} of train image ${index}`);
        const b = shapeRegion(shape).bounds;
        expect(label.w * 128).toBeCloseTo(b.x1 - b.x0, 4);
        expect(label.h * 128).toBeCloseTo(b.y1 - b.y0, 4);
        // no side below the width of an equilateral triangle of the smallest side
        expect(Math.min(label.w, label.h) * 128).toBeGreaterThanOrEqual(0.86 * smallest);
        expect(shape.size).toBeGreaterThanOrEqual(smallest - 1e-9);
        // tight: the painted pixels reach the box on every side, within a pixel and a half (a star's sharp tips)
        const painted = paintedBox(shape, 128);
        for (const side of ['x0', 'y0', 'x1', 'y1'] as const) expect(Math.abs(painted[side] - b[side])).toBeLessThanOrEqual(1.5);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('drops labels of shapes hidden beyond minVisible, and keeps the others', () => {
    let dropped = 0;
    let kept = 0;
    for (let index = 0; index < 40; index++) {
      const { scene, labels } = renderShapesImage(fine, 'train', index);
      const labelled = scene.shapes.filter((shape) => !shape.decoy).length;
      expect(labels.length).toBeLessThanOrEqual(labelled);
      dropped += labelled - labels.length;
      kept += labels.length;
    }
    expect(dropped).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(5 * dropped);
  });
});
