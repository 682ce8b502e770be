import { collectProblems, ConfigError, formatProblem, type ConfigProblem } from './config-error.js';

const problem = (line: number, path: ConfigProblem['path'], message: string): ConfigProblem => ({
  position: { file: 'pipe.yaml', line, col: 5 },
  path,
  message,
});

describe('formatProblem', () => {
  it('writes file:line:col: path: message', () => {
    expect(formatProblem(problem(3, ['stages', 1, 'lr'], 'expected a number'))).toBe('pipe.yaml:3:5: stages[1].lr: expected a number');
  });

  it('leaves the path out at the root', () => {
    expect(formatProblem(problem(1, [], 'the file is empty'))).toBe('pipe.yaml:1:5: the file is empty');
  });
});

describe('ConfigError', () => {
  it('lists every problem, one per line, and keeps them', () => {
    const error = new ConfigError([problem(1, ['seed'], 'a'), problem(2, ['name'], 'b')]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('pipe.yaml:1:5: seed: a\npipe.yaml:2:5: name: b');
    expect(error.problems).toHaveLength(2);
  });

  it('keeps a cause', () => {
    const cause = new Error('disk');
    expect(new ConfigError([problem(1, [], 'x')], { cause }).cause).toBe(cause);
  });

  it('merges the problems of several errors in order', () => {
    const merged = ConfigError.merge([new ConfigError([problem(1, ['a'], 'a')]), new ConfigError([problem(2, ['b'], 'b'), problem(3, ['c'], 'c')])]);
    expect(merged.problems.map((p) => p.message)).toEqual(['a', 'b', 'c']);
  });
});

describe('collectProblems', () => {
  it('returns every result when nothing fails', () => {
    expect(collectProblems([() => 1, () => 2])).toEqual({ results: [1, 2] });
  });

  it('keeps going after a ConfigError and merges all of them', () => {
    const seen: number[] = [];
    const { results, error } = collectProblems([
      () => {
        throw new ConfigError([problem(1, ['a'], 'first')]);
      },
      () => {
        seen.push(2);
        return 2;
      },
      () => {
        throw new ConfigError([problem(3, ['c'], 'third')]);
      },
    ]);
    expect(seen).toEqual([2]);
    expect(results).toEqual([2]);
    expect(error?.message).toBe('pipe.yaml:1:5: a: first\npipe.yaml:3:5: c: third');
  });

  it('lets any other error through at once', () => {
    expect(() =>
      collectProblems([
        () => {
          throw new TypeError('bug');
        },
      ]),
    ).toThrow(TypeError);
  });
});
