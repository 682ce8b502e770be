import type { PredictionProblem } from './prediction-problem.js';

/** One entry of a COCO results file: `{image_id, category_id, bbox: [x, y, w, h], score}`, with the class it stands for. */
export interface CocoResult {
  readonly imageId: string | number;
  readonly cls: number;
  /** Top-left x, y, width, height in pixels. */
  readonly box: readonly [number, number, number, number];
  readonly score: number;
}

export interface CocoResultsOptions {
  readonly file: string;
  /** When given, a class must be in 0..numClasses-1. */
  readonly numClasses?: number;
  /** `category_id` of class 0: 0 (Ultralytics before 8.1 and most tools) or 1 (Ultralytics' `save_json` on non-COCO data since). */
  readonly categoryBase?: number;
}

const describe = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * Parses a COCO detection results file (a JSON list, as pycocotools' `loadRes` and Ultralytics'
 * `save_json` write it). `category_id - categoryBase` is the class. Bad entries become problems naming
 * the file and the entry's index, and are left out.
 */
export function parseCocoResults(text: string, options: CocoResultsOptions): { results: CocoResult[]; problems: PredictionProblem[] } {
  const base = options.categoryBase ?? 0;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { results: [], problems: [{ file: options.file, message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (!Array.isArray(value)) {
    return { results: [], problems: [{ file: options.file, message: 'expected a JSON list of {image_id, category_id, bbox, score} (COCO detection results)' }] };
  }
  const results: CocoResult[] = [];
  const problems: PredictionProblem[] = [];
  value.forEach((item: unknown, entry) => {
    const problem = (message: string): void => {
      problems.push({ file: options.file, entry, message });
    };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problem(`expected an object {image_id, category_id, bbox, score}, found ${describe(item)}`);
      return;
    }
    const record = item as Record<string, unknown>;
    const before = problems.length;
    const imageId = record['image_id'];
    if (typeof imageId !== 'number' && typeof imageId !== 'string') problem(`image_id must be a number or a string, found ${describe(imageId)}`);
    const category = record['category_id'];
    const cls = typeof category === 'number' ? category - base : Number.NaN;
    if (typeof category !== 'number' || !Number.isInteger(category)) problem(`category_id must be an integer, found ${describe(category)}`);
    else if (cls < 0 || (options.numClasses !== undefined && cls >= options.numClasses)) {
      const range = options.numClasses === undefined ? `>= ${base}` : `${base}..${base + options.numClasses - 1}`;
      const other = base === 0 ? 1 : 0;
      problem(`category_id ${category} out of range ${range} (class = category_id - ${base}; try --category-base ${other} if ids start at ${other})`);
    }
    const bbox = record['bbox'];
    if (!Array.isArray(bbox) || bbox.length !== 4 || bbox.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      problem(`bbox must be 4 numbers [x, y, width, height], found ${describe(bbox)}`);
    } else if ((bbox[2] as number) < 0 || (bbox[3] as number) < 0) problem(`bbox width and height must be >= 0, found ${describe(bbox)}`);
    const score = record['score'];
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) problem(`score must be a number in 0..1, found ${describe(score)}`);
    if (problems.length === before) {
      results.push({ imageId: imageId as string | number, cls, box: bbox as [number, number, number, number], score: score as number });
    }
  });
  return { results, problems };
}
