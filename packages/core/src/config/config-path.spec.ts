import { formatPath, parsePath, valueAt } from './config-path.js';

describe('formatPath', () => {
  it.each([
    [[], '(root)'],
    [['seed'], 'seed'],
    [['stages', 1, 'losses', 'cls', 'temperature'], 'stages[1].losses.cls.temperature'],
    [['augment', 0], 'augment[0]'],
    [['grid', 0, 1], 'grid[0][1]'],
    [[2, 'name'], '[2].name'],
  ] as const)('%j -> %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('parsePath', () => {
  it.each([
    ['seed', ['seed']],
    ['stages[1].losses.cls', ['stages', 1, 'losses', 'cls']],
    ['stages.1.losses.cls', ['stages', 1, 'losses', 'cls']],
    ['grid[0][12]', ['grid', 0, 12]],
    ['[3].epochs', [3, 'epochs']],
    ['data.imgsz', ['data', 'imgsz']],
    ['losses.p3-neck_0', ['losses', 'p3-neck_0']],
  ] as const)('%s -> %j', (text, path) => {
    expect(parsePath(text)).toEqual(path);
  });

  it('round-trips with formatPath', () => {
    for (const path of [['a'], ['stages', 0, 'lr'], ['x', 1, 2, 'y', 'z']]) expect(parsePath(formatPath(path))).toEqual(path);
  });

  it.each(['', '.', '.seed', 'seed.', 'a..b', 'a[x]', 'a[-1]', 'a[', 'a]', 'a[0]b', 'a.[0]', '[]'])('rejects %j', (text) => {
    expect(() => parsePath(text)).toThrow(`'${text}' is not a key path like a.b[1].c`);
  });
});

describe('valueAt', () => {
  const tree = { stages: [{ epochs: 3, losses: { cls: { temperature: 2 } } }], seed: 0, none: null };

  it('follows keys and indices', () => {
    expect(valueAt(tree, ['stages', 0, 'losses', 'cls', 'temperature'])).toBe(2);
    expect(valueAt(tree, ['seed'])).toBe(0);
    expect(valueAt(tree, [])).toBe(tree);
  });

  it('gives undefined for missing keys and for paths through scalars or null', () => {
    expect(valueAt(tree, ['stages', 1, 'epochs'])).toBeUndefined();
    expect(valueAt(tree, ['seed', 'x'])).toBeUndefined();
    expect(valueAt(tree, ['none', 'x'])).toBeUndefined();
    expect(valueAt(undefined, ['a'])).toBeUndefined();
  });
});
