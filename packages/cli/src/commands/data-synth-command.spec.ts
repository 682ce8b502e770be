import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../cli-io.js';
import { dataSynthCommand } from './data-synth-command.js';

let dir: string;
let out: string;
let err: string;
const io: CliIO = {
  stdout: (text) => {
    out += text;
  },
  stderr: (text) => {
    err += text;
  },
  interactive: false,
  env: {},
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yd-data-synth-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('dataSynthCommand', () => {
  it('writes a shapes dataset with the flags commander hands over, then reuses it', async () => {
    const target = join(dir, 'shapes');
    const flags = { out: target, classes: 'circle,square', train: '3', val: '2', imgsz: '32', seed: '7' };
    expect(await dataSynthCommand(flags, io)).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^shapes dataset: generated 3 train \+ 2 val images, 32x32, 2 classes \(circle, square\), seed 7 in \d+\.\ds\n/);
    expect(out).toContain(`  ${join(target, 'data.yaml')}\n`);
    expect(out).toContain('data: { type: data.YoloDataset, root: ');
    expect(readdirSync(join(target, 'images', 'train')).sort()).toEqual(['000000.png', '000001.png', '000002.png']);
    expect(readFileSync(join(target, 'data.yaml'), 'utf8')).toContain('names:\n  - circle\n  - square\n');

    out = '';
    expect(await dataSynthCommand({ ...flags, train: 3, val: 2 }, io)).toBe(0);
    expect(out).toMatch(/^shapes dataset: .* already holds 3 train \+ 2 val images, 32x32, 2 classes \(circle, square\), seed 7; left as it is\n/);
  });

  it('takes a number of classes, and the defaults for what is not given', async () => {
    expect(await dataSynthCommand({ out: join(dir, 's'), classes: '2', train: '1', val: '1', imgsz: '16' }, io)).toBe(0);
    expect(out).toContain('1 train + 1 val images, 16x16, 2 classes (circle, ellipse), seed 0');
  });

  it('exits 2 naming the flag for bad values', async () => {
    expect(await dataSynthCommand({ out: join(dir, 's'), train: 'many' }, io)).toBe(2);
    expect(err).toBe("error: --train: expected a whole number, found 'many'\n");
    err = '';
    expect(await dataSynthCommand({ out: join(dir, 's'), imgsz: '8', classes: 'circle,star' }, io)).toBe(2);
    expect(err).toContain('error: --imgsz: expected a number >= 16, found number 8\n');
    expect(err).toContain('error: --classes: expected one of circle, ellipse, square, rectangle, triangle, hexagon, found string "star"\n');
    err = '';
    expect(await dataSynthCommand({ out: join(dir, 's'), classes: ' , ' }, io)).toBe(2);
    expect(err).toBe("error: --classes: expected a number of classes or comma-separated shape names, found ' , '\n");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never replaces a folder it did not make', async () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    expect(await dataSynthCommand({ out: mine, train: '1', val: '1', imgsz: '16' }, io)).toBe(2);
    expect(err).toBe(`error: --out ${mine}: is not empty and was not made by the shapes generator (no shapes.json); refusing to replace it. Choose another folder or delete this one.\n`);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
  });
});
