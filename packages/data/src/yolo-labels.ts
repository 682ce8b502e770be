import { readFile } from 'node:fs/promises';
import type { LabelRows } from '@yolo-distill/core';

/** One object of a YOLO label file: class index and box centre/size, normalised to 0..1 of the image. */
export interface YoloBox {
  readonly cls: number;
  readonly cx: number;
  readonly cy: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Something wrong in a dataset file (a label file, an image, an annotation JSON), at a line (1-based)
 * and column (1-based) when it concerns one.
 */
export interface LabelProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** What a label file holds: the boxes of its good lines and the problems of its bad ones. */
export interface ParsedLabels {
  readonly boxes: readonly YoloBox[];
  readonly problems: readonly LabelProblem[];
}

export interface LabelParseOptions {
  /** How the file is named in problems (`labels/train/0003.txt`). */
  readonly file: string;
  /** When given, a class index must be in 0..numClasses-1. */
  readonly numClasses?: number;
}

/** A label file that cannot be used; its message lists every problem as `file:line: what`. */
export class YoloLabelError extends Error {
  override readonly name = 'YoloLabelError';

  constructor(readonly problems: readonly LabelProblem[]) {
    super(problems.map(formatLabelProblem).join('\n'));
  }
}

/** `file: what`, `file:line: what` or `file:line:col: what`. */
export function formatLabelProblem(problem: LabelProblem): string {
  if (problem.line === undefined) return `${problem.file}: ${problem.message}`;
  const column = problem.column === undefined ? '' : `:${problem.column}`;
  return `${problem.file}:${problem.line}${column}: ${problem.message}`;
}

const COORDINATE_NAMES = ['cx', 'cy', 'w', 'h'] as const;

/**
 * Parses YOLO txt labels: one `cls cx cy w h` line per object, separated by whitespace. Blank lines
 * are skipped, so an empty file is an image without objects. A bad line becomes a problem naming
 * the file and line and is left out of `boxes`; the good lines are still returned.
 */
export function parseYoloLabels(text: string, options: LabelParseOptions): ParsedLabels {
  const boxes: YoloBox[] = [];
  const problems: LabelProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const tokens = line.trim().split(/\s+/).filter((token) => token.length > 0);
    if (tokens.length === 0) continue;
    const lineNumber = index + 1;
    const problem = (message: string): void => {
      problems.push({ file: options.file, line: lineNumber, message });
    };
    if (tokens.length !== 5) {
      problem(`expected 5 numbers, found ${tokens.length}`);
      continue;
    }
    const values = tokens.map(Number);
    const notNumber = tokens.find((_, i) => !Number.isFinite(values[i]));
    if (notNumber !== undefined) {
      problem(`expected 5 numbers, found ${JSON.stringify(notNumber)}`);
      continue;
    }
    const [cls, cx, cy, w, h] = values as [number, number, number, number, number];
    const before = problems.length;
    if (!Number.isInteger(cls) || cls < 0) problem(`class ${tokens[0]} is not a non-negative integer`);
    else if (options.numClasses !== undefined && cls >= options.numClasses) {
      problem(`class ${cls} out of range 0..${options.numClasses - 1} (nc=${options.numClasses})`);
    }
    for (const [i, name] of COORDINATE_NAMES.entries()) {
      const value = values[i + 1] as number;
      if (value < 0 || value > 1) problem(`${name} ${tokens[i + 1]} outside 0..1`);
      else if ((name === 'w' || name === 'h') && value === 0) problem(`${name} is 0 (an empty box)`);
    }
    if (problems.length === before) boxes.push({ cls, cx, cy, w, h });
  }
  return { boxes, problems };
}

/** Reads and parses a label file; a missing file is an image without labels (as Ultralytics treats it). */
export async function readYoloLabels(path: string, options: LabelParseOptions): Promise<ParsedLabels & { readonly missing: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { boxes: [], problems: [], missing: true };
    throw error;
  }
  return { ...parseYoloLabels(text, options), missing: false };
}

/** Formats boxes as a YOLO label file: `cls cx cy w h` with 6 decimals, one line each, newline-terminated. */
export function formatYoloLabels(boxes: readonly YoloBox[]): string {
  return boxes.map((box) => `${box.cls} ${box.cx.toFixed(6)} ${box.cy.toFixed(6)} ${box.w.toFixed(6)} ${box.h.toFixed(6)}\n`).join('');
}

/** Boxes as the `[cls, cx, cy, w, h]` rows a Sample carries. */
export function toLabelRows(boxes: readonly YoloBox[]): LabelRows {
  const rows = new Float32Array(boxes.length * 5);
  for (const [i, box] of boxes.entries()) rows.set([box.cls, box.cx, box.cy, box.w, box.h], i * 5);
  return { rows, count: boxes.length };
}
