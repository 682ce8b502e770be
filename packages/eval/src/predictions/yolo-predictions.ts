import type { PredictionProblem } from './prediction-problem.js';

/** One line of a YOLO predictions file: class, box centre and size normalised to 0..1 of the image, score. */
export interface YoloPrediction {
  readonly cls: number;
  readonly cx: number;
  readonly cy: number;
  readonly w: number;
  readonly h: number;
  readonly score: number;
}

export interface PredictionParseOptions {
  /** How the file is named in problems. */
  readonly file: string;
  /** When given, a class must be in 0..numClasses-1. */
  readonly numClasses?: number;
}

/** Normalised coordinates may overshoot 0..1 by this much (rounding in the writer); more is an error. */
const SLACK = 0.01;
const COORDINATES = ['cx', 'cy', 'w', 'h'] as const;

/**
 * Parses YOLO txt predictions, one `cls cx cy w h score` line per box (what Ultralytics writes with
 * `save_txt=True, save_conf=True`), whitespace-separated, blank lines skipped. A bad line becomes a
 * problem naming the file and line, and is left out.
 */
export function parseYoloPredictions(text: string, options: PredictionParseOptions): { predictions: YoloPrediction[]; problems: PredictionProblem[] } {
  const predictions: YoloPrediction[] = [];
  const problems: PredictionProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const tokens = raw.trim().split(/\s+/).filter((token) => token.length > 0);
    if (tokens.length === 0) return;
    const line = index + 1;
    const before = problems.length;
    const problem = (message: string): void => {
      problems.push({ file: options.file, line, message });
    };
    if (tokens.length !== 6) {
      const hint = tokens.length === 5 ? ': the score is missing (Ultralytics writes it with save_conf=True)' : '';
      problem(`expected 6 numbers "cls cx cy w h score", found ${tokens.length}${hint}`);
      return;
    }
    const values = tokens.map(Number);
    const notNumber = tokens.find((_, i) => !Number.isFinite(values[i]));
    if (notNumber !== undefined) {
      problem(`expected 6 numbers "cls cx cy w h score", found ${JSON.stringify(notNumber)}`);
      return;
    }
    const [cls, cx, cy, w, h, score] = values as [number, number, number, number, number, number];
    if (!Number.isInteger(cls) || cls < 0) problem(`class ${tokens[0]} is not a non-negative integer`);
    else if (options.numClasses !== undefined && cls >= options.numClasses) problem(`class ${cls} out of range 0..${options.numClasses - 1} (nc=${options.numClasses})`);
    COORDINATES.forEach((name, i) => {
      const value = values[i + 1] as number;
      if (value < -SLACK || value > 1 + SLACK) problem(`${name} ${tokens[i + 1]} outside 0..1 (YOLO predictions are normalised to the image size)`);
      else if ((name === 'w' || name === 'h') && value < 0) problem(`${name} ${tokens[i + 1]} is negative`);
    });
    if (score < 0 || score > 1) problem(`score ${tokens[5]} outside 0..1`);
    if (problems.length === before) predictions.push({ cls, cx, cy, w, h, score });
  });
  return { predictions, problems };
}
