/** Something wrong in a predictions file: at a line (txt) or an entry (json) when it concerns one. */
export interface PredictionProblem {
  readonly file: string;
  /** 1-based line of a txt file. */
  readonly line?: number;
  /** 0-based index of a COCO results entry. */
  readonly entry?: number;
  readonly message: string;
}

/** `file:line: message`, `file: entry 3: message` or `file: message`. */
export function formatPredictionProblem(problem: PredictionProblem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}: ${problem.message}`;
  if (problem.entry !== undefined) return `${problem.file}: entry ${problem.entry}: ${problem.message}`;
  return `${problem.file}: ${problem.message}`;
}

/** Predictions that cannot be scored; the message lists the problems (the first `shown` of them). */
export class PredictionFileError extends Error {
  override readonly name = 'PredictionFileError';

  constructor(
    readonly problems: readonly PredictionProblem[],
    shown = 20,
  ) {
    const listed = problems.slice(0, shown).map(formatPredictionProblem);
    if (problems.length > shown) listed.push(`... and ${problems.length - shown} more`);
    super(listed.join('\n'));
  }
}
