import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodePng } from '@yolo-distill/data';
import type { CliIO } from '../cli-io.js';
import { dataCheckCommand } from './data-check-command.js';

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

function write(name: string, content: string | Buffer): void {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), content);
}

/** train: a (cat, dog), b (no labels); val: v (dog). Classes cat, dog. */
async function writeClean(): Promise<void> {
  const png = await encodePng(new Uint8Array(8 * 8 * 3).fill(100), 8, 8);
  write('data.yaml', 'train: images/train\nval: images/val\nnames: [cat, dog]\n');
  write('images/train/a.png', png);
  write('images/train/b.png', png);
  write('images/val/v.png', png);
  write('labels/train/a.txt', '0 0.5 0.5 0.2 0.2\n1 0.2 0.2 0.1 0.1\n');
  write('labels/val/v.txt', '1 0.5 0.5 0.5 0.5\n');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yd-data-check-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('dataCheckCommand', () => {
  it('prints counts and the class histogram of a clean dataset and exits 0', async () => {
    await writeClean();
    expect(await dataCheckCommand(dir, {}, io)).toBe(0);
    expect(out).toBe(
      [
        `data check: ${dir} (2 classes)`,
        'split  images  objects  background  no labels',
        'train       2        2           1          1',
        'val         1        1           0          0',
        '',
        'class  train  val',
        'cat        1    0',
        'dog        1    1',
        '',
        'no problems',
        '',
      ].join('\n'),
    );
    expect(err).toBe(`checking ${dir}: reading every label file and decoding every image\n`);
  });

  it('prints every problem with file and line and exits 2', async () => {
    await writeClean();
    const png = await encodePng(new Uint8Array(8 * 8 * 3), 8, 8);
    write('images/train/cut.png', png.subarray(0, png.length - 16));
    write('labels/train/b.txt', Array.from({ length: 22 }, () => '0 0.5 0.5 0.2\n').join(''));
    write('labels/val/lost.txt', '0 0.5 0.5 0.1 0.1\n');
    expect(await dataCheckCommand(join(dir, 'data.yaml'), {}, io)).toBe(2);
    const lines = out.trimEnd().split('\n');
    const problems = lines.slice(lines.indexOf('24 problems:'));
    expect(problems).toHaveLength(25); // all of them, not the first 20
    expect(problems[1]).toBe('  labels/train/b.txt:1: expected 5 numbers, found 4');
    expect(problems[22]).toBe('  labels/train/b.txt:22: expected 5 numbers, found 4');
    expect(problems[23]).toMatch(/^ {2}images\/train\/cut\.png: cannot read image: \S/);
    expect(problems[24]).toBe('  labels/val/lost.txt: label file without an image');
  });

  it('reads only headers with --images header (a truncated PNG passes)', async () => {
    await writeClean();
    const png = await encodePng(new Uint8Array(8 * 8 * 3), 8, 8);
    write('images/train/cut.png', png.subarray(0, png.length - 16));
    expect(await dataCheckCommand(dir, { images: 'header' }, io)).toBe(0);
    expect(await dataCheckCommand(dir, { images: 'all' }, io)).toBe(2);
    expect(err).toContain("error: --images: expected one of decode, header, none, found 'all'\n");
  });

  it('prints the report as JSON with --json', async () => {
    await writeClean();
    write('labels/train/b.txt', '5 0.5 0.5 0.2 0.2\n');
    expect(await dataCheckCommand(dir, { json: true }, io)).toBe(2);
    expect(err).toBe('');
    const report = JSON.parse(out) as { root: string; classNames: string[]; splits: Record<string, { perClass: Record<string, number> }>; problems: unknown[] };
    expect(report.root).toBe(dir);
    expect(report.classNames).toEqual(['cat', 'dog']);
    expect(report.splits['val']?.perClass).toEqual({ cat: 0, dog: 1 });
    expect(report.problems).toEqual([{ file: 'labels/train/b.txt', line: 1, message: 'class 5 out of range 0..1 (nc=2)' }]);
  });

  it('exits 2 when the folder is not a YOLO dataset', async () => {
    expect(await dataCheckCommand(join(dir, 'nothing'), {}, io)).toBe(2);
    expect(err).toContain(`error: ${join(dir, 'nothing', 'data.yaml')}: not found`);
  });
});
