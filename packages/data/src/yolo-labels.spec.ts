import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLabelProblem, formatYoloLabels, parseYoloLabels, readYoloLabels, toLabelRows, YoloLabelError } from './yolo-labels.js';

const FILE = 'labels/train/0003.txt';

function messages(text: string, numClasses?: number): string[] {
  return parseYoloLabels(text, { file: FILE, ...(numClasses === undefined ? {} : { numClasses }) }).problems.map(formatLabelProblem);
}

describe('parseYoloLabels', () => {
  it('reads cls cx cy w h lines', () => {
    const parsed = parseYoloLabels('0 0.5 0.25 0.2 0.1\n2 0.1 0.9 0.05 0.05\n', { file: FILE, numClasses: 3 });
    expect(parsed.problems).toEqual([]);
    expect(parsed.boxes).toEqual([
      { cls: 0, cx: 0.5, cy: 0.25, w: 0.2, h: 0.1 },
      { cls: 2, cx: 0.1, cy: 0.9, w: 0.05, h: 0.05 },
    ]);
  });

  it('treats an empty file, blank lines and CRLF as valid', () => {
    expect(parseYoloLabels('', { file: FILE })).toEqual({ boxes: [], problems: [] });
    expect(parseYoloLabels('\n  \n', { file: FILE })).toEqual({ boxes: [], problems: [] });
    expect(parseYoloLabels('1 0.5 0.5 1 1\r\n\r\n', { file: FILE }).boxes).toEqual([{ cls: 1, cx: 0.5, cy: 0.5, w: 1, h: 1 }]);
  });

  it('names the file and line of a row with the wrong number of values', () => {
    const text = '0 0.5 0.5 0.1 0.1\n\n0 0.5 0.5 0.1 0.1\n0 0.5 0.5 0.1\n';
    expect(messages(text)).toEqual([`${FILE}:4: expected 5 numbers, found 4`]);
    expect(messages('0 0.5 0.5 0.1 0.1 0.3 0.4\n')).toEqual([`${FILE}:1: expected 5 numbers, found 7`]);
  });

  it('reports values that are not numbers', () => {
    expect(messages('0 0.5 abc 0.1 0.1\n')).toEqual([`${FILE}:1: expected 5 numbers, found "abc"`]);
    expect(messages('0 0.5 NaN 0.1 0.1\n')).toEqual([`${FILE}:1: expected 5 numbers, found "NaN"`]);
  });

  it('reports a class out of range, negative or fractional', () => {
    expect(messages('6 0.5 0.5 0.1 0.1\n', 6)).toEqual([`${FILE}:1: class 6 out of range 0..5 (nc=6)`]);
    expect(messages('-1 0.5 0.5 0.1 0.1\n', 6)).toEqual([`${FILE}:1: class -1 is not a non-negative integer`]);
    expect(messages('1.5 0.5 0.5 0.1 0.1\n', 6)).toEqual([`${FILE}:1: class 1.5 is not a non-negative integer`]);
    // without numClasses any non-negative integer class is accepted
    expect(messages('60 0.5 0.5 0.1 0.1\n')).toEqual([]);
  });

  it('reports coordinates outside 0..1 and empty boxes, one problem each', () => {
    expect(messages('0 1.2 -0.1 0.1 0.1\n')).toEqual([`${FILE}:1: cx 1.2 outside 0..1`, `${FILE}:1: cy -0.1 outside 0..1`]);
    expect(messages('0 0.5 0.5 0 0.1\n')).toEqual([`${FILE}:1: w is 0 (an empty box)`]);
  });

  it('keeps the good lines of a file with bad ones', () => {
    const parsed = parseYoloLabels('0 0.5 0.5 0.1 0.1\n9 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n', { file: FILE, numClasses: 2 });
    expect(parsed.boxes.map((box) => box.cls)).toEqual([0, 1]);
    expect(parsed.problems).toEqual([{ file: FILE, line: 2, message: 'class 9 out of range 0..1 (nc=2)' }]);
  });
});

describe('formatYoloLabels', () => {
  it('writes six decimals per coordinate and round-trips', () => {
    const boxes = [{ cls: 3, cx: 0.4, cy: 0.5, w: 0.2, h: 1 / 3 }];
    const text = formatYoloLabels(boxes);
    expect(text).toBe('3 0.400000 0.500000 0.200000 0.333333\n');
    expect(parseYoloLabels(text, { file: FILE }).boxes).toEqual([{ cls: 3, cx: 0.4, cy: 0.5, w: 0.2, h: 0.333333 }]);
    expect(formatYoloLabels([])).toBe('');
  });
});

describe('toLabelRows', () => {
  it('packs boxes as [cls, cx, cy, w, h] rows', () => {
    const rows = toLabelRows([
      { cls: 1, cx: 0.5, cy: 0.25, w: 0.125, h: 0.75 },
      { cls: 0, cx: 1, cy: 0, w: 0.5, h: 0.5 },
    ]);
    expect(rows.count).toBe(2);
    expect([...rows.rows]).toEqual([1, 0.5, 0.25, 0.125, 0.75, 0, 1, 0, 0.5, 0.5]);
  });
});

describe('readYoloLabels and YoloLabelError', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yolo-labels-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, and treats a missing file as no objects', async () => {
    await writeFile(join(dir, 'a.txt'), '0 0.5 0.5 0.1 0.1\n0 0.5\n');
    const read = await readYoloLabels(join(dir, 'a.txt'), { file: 'a.txt', numClasses: 1 });
    expect(read.missing).toBe(false);
    expect(read.boxes).toHaveLength(1);
    expect(read.problems.map(formatLabelProblem)).toEqual(['a.txt:2: expected 5 numbers, found 2']);
    expect(await readYoloLabels(join(dir, 'none.txt'), { file: 'none.txt' })).toEqual({ boxes: [], problems: [], missing: true });
  });

  it('lists every problem in the error message', () => {
    const error = new YoloLabelError([
      { file: FILE, line: 4, message: 'expected 5 numbers, found 4' },
      { file: FILE, message: 'has no image' },
    ]);
    expect(error.message).toBe(`${FILE}:4: expected 5 numbers, found 4\n${FILE}: has no image`);
  });

  it('formats a column when a problem has one', () => {
    expect(formatLabelProblem({ file: 'a.json', line: 3, column: 14, message: 'bad' })).toBe('a.json:3:14: bad');
  });
});
