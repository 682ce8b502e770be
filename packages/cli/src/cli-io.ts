import type { ProgressTerminal } from './progress/bar-progress.js';

/** Where the command writes and what it runs in; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (then step progress rewrites one line). */
  readonly interactive: boolean;
  /** The terminal progress bars draw on, when stderr is one. */
  readonly terminal?: ProgressTerminal;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
  terminal: process.stderr,
  env: process.env,
};

/** Exit codes: 0 success, 1 the run failed, 2 the input (pipeline, flags) is wrong, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130 } as const;
