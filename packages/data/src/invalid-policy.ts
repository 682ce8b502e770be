import { StreamLogger, type Logger } from '@yolo-distill/core';
import { formatProblems } from './check/data-check-report.js';
import type { LabelProblem } from './yolo-labels.js';

/** What a dataset does with bad input: fail `prepare()` listing it, or drop it with a warning. */
export const INVALID_POLICIES = ['error', 'skip'] as const;
export type InvalidPolicy = (typeof INVALID_POLICIES)[number];

/** Problems listed in an error or warning message before `... and N more`. */
export const LISTED_PROBLEMS = 20;

/** A dataset that cannot be used as it is; `problems` holds every one, the message the first 20. */
export class DatasetProblemsError extends Error {
  override readonly name = 'DatasetProblemsError';

  constructor(
    readonly dataset: string,
    readonly problems: readonly LabelProblem[],
  ) {
    super(`${dataset}: ${problemsSummary(problems)}\n(fix them, or set invalid: skip to drop the bad images and annotations with a warning)`);
  }
}

/** `N problem(s):` and the first 20 of them, one per indented line, then `... and K more`. */
export function problemsSummary(problems: readonly LabelProblem[], max = LISTED_PROBLEMS): string {
  return formatProblems(problems, max).join('\n');
}

/** What skipping dropped, for the warning. */
export interface SkipCounts {
  readonly images: number;
  readonly objects: number;
}

/**
 * Applies the policy to the problems a dataset found while preparing: none -> nothing; 'error' ->
 * throws a DatasetProblemsError; 'skip' -> one warning with the count, what was dropped and the first
 * problems (never silent: without a logger the warning goes to stderr).
 */
export function applyInvalidPolicy(policy: InvalidPolicy, dataset: string, problems: readonly LabelProblem[], dropped: SkipCounts, logger: Logger = new StreamLogger()): void {
  if (problems.length === 0) return;
  if (policy === 'error') throw new DatasetProblemsError(dataset, problems);
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  logger.warn(`${dataset}: invalid: skip dropped ${plural(dropped.images, 'image')} and ${plural(dropped.objects, 'object')} over ${problemsSummary(problems)}`);
}
