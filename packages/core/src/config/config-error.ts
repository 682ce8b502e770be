import { formatPath, type ConfigPath } from './config-path.js';

/** Where in which file a config value sits. Overrides from the command line name themselves as the file. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One thing wrong with a config, at one place. */
export interface ConfigProblem {
  readonly position: SourcePosition;
  readonly path: ConfigPath;
  readonly message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const { file, line, col } = problem.position;
  const where = problem.path.length === 0 ? '' : `${formatPath(problem.path)}: `;
  return `${file}:${line}:${col}: ${where}${problem.message}`;
}

/** A config that cannot be used; its message lists every problem as `file:line:col: path: what`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n'), options);
  }

  static merge(errors: readonly ConfigError[]): ConfigError {
    return new ConfigError(errors.flatMap((error) => error.problems));
  }
}

/** Runs each check, collecting every ConfigError instead of stopping at the first. */
export function collectProblems<T>(checks: readonly (() => T)[]): { results: T[]; error?: ConfigError } {
  const results: T[] = [];
  const errors: ConfigError[] = [];
  for (const check of checks) {
    try {
      results.push(check());
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }
  return errors.length > 0 ? { results, error: ConfigError.merge(errors) } : { results };
}
