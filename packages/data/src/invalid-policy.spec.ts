import type { Logger } from '@yolo-distill/core';
import { applyInvalidPolicy, DatasetProblemsError, problemsSummary } from './invalid-policy.js';

const problems = Array.from({ length: 23 }, (_, i) => ({ file: 'labels/train/a.txt', line: i + 1, message: 'expected 5 numbers, found 4' }));

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return { logger: { debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) }, warnings };
}

describe('problemsSummary', () => {
  it('lists the first 20 problems and counts the rest', () => {
    const lines = problemsSummary(problems).split('\n');
    expect(lines[0]).toBe('23 problems:');
    expect(lines[1]).toBe('  labels/train/a.txt:1: expected 5 numbers, found 4');
    expect(lines[20]).toBe('  labels/train/a.txt:20: expected 5 numbers, found 4');
    expect(lines[21]).toBe('  ... and 3 more');
    expect(lines).toHaveLength(22);
    expect(problemsSummary(problems.slice(0, 1))).toBe('1 problem:\n  labels/train/a.txt:1: expected 5 numbers, found 4');
  });
});

describe('applyInvalidPolicy', () => {
  it("does nothing without problems, even with 'error'", () => {
    const { logger, warnings } = recordingLogger();
    expect(() => applyInvalidPolicy('error', 'd', [], { images: 0, objects: 0 }, logger)).not.toThrow();
    applyInvalidPolicy('skip', 'd', [], { images: 0, objects: 0 }, logger);
    expect(warnings).toEqual([]);
  });

  it("'error' throws every problem (the message lists 20)", () => {
    let error: unknown;
    try {
      applyInvalidPolicy('error', 'yolo dataset /data/x', problems, { images: 0, objects: 23 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DatasetProblemsError);
    const typed = error as DatasetProblemsError;
    expect(typed.problems).toHaveLength(23);
    expect(typed.message.startsWith('yolo dataset /data/x: 23 problems:\n  labels/train/a.txt:1: expected')).toBe(true);
    expect(typed.message).toContain('  ... and 3 more\n(fix them, or set invalid: skip');
  });

  it("'skip' warns once with the count and what was dropped", () => {
    const { logger, warnings } = recordingLogger();
    applyInvalidPolicy('skip', 'd', problems.slice(0, 2), { images: 1, objects: 1 }, logger);
    expect(warnings).toEqual([
      'd: invalid: skip dropped 1 image and 1 object over 2 problems:\n  labels/train/a.txt:1: expected 5 numbers, found 4\n  labels/train/a.txt:2: expected 5 numbers, found 4',
    ]);
  });
});
