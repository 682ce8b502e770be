import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { CliIO } from '../cli-io.js';

/** A fresh folder per test and an `io` that collects what the command prints. */
export interface CliSandbox {
  /** The test's own temporary folder (removed after the test). */
  readonly dir: string;
  readonly out: string;
  readonly err: string;
  readonly io: CliIO;
  /** Forgets what was printed so far (between two commands of one test). */
  clearOutput(): void;
}

/** Registers the per-test folder (`prefix` + random) and output capture of a CLI spec. */
export function cliSandbox(prefix: string): CliSandbox {
  const state = { dir: '', out: '', err: '' };
  const io: CliIO = { stdout: (t) => void (state.out += t), stderr: (t) => void (state.err += t), interactive: false, env: {} };
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), prefix));
    state.out = '';
    state.err = '';
  });
  afterEach(() => rmSync(state.dir, { recursive: true, force: true }));
  return {
    get dir() {
      return state.dir;
    },
    get out() {
      return state.out;
    },
    get err() {
      return state.err;
    },
    io,
    clearOutput: () => {
      state.out = '';
      state.err = '';
    },
  };
}
