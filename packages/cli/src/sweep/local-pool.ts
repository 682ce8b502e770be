import { spawn } from 'node:child_process';
import type { CliIO } from '../cli-io.js';

export interface LocalRunResult {
  readonly run: string;
  readonly code: number | null;
  /** The last lines it wrote to stderr (why it failed). */
  readonly tail: string;
}

/**
 * This CLI again as a child process, with the same node flags and entry script (so a CLI run from source
 * through a loader, or with extra plugins, starts children that are the same program).
 */
export function selfCommand(args: readonly string[]): { readonly command: string; readonly args: readonly string[] } {
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot start local sweep processes: this process has no entry script');
  return { command: process.execPath, args: [...process.execArgv, entry, ...args] };
}

/**
 * Runs `argsOf(run)` for every run in at most `processes` children at once; each result as it ends.
 * When `signal` aborts, no further run starts and the running ones get SIGTERM (they stop after their step, resumable).
 */
export async function runLocalPool(runs: readonly string[], processes: number, argsOf: (run: string) => readonly string[], io: CliIO, signal?: AbortSignal): Promise<LocalRunResult[]> {
  const queue = [...runs];
  const results: LocalRunResult[] = [];
  const lane = async (): Promise<void> => {
    for (let run = queue.shift(); run !== undefined && !signal?.aborted; run = queue.shift()) {
      io.stderr(`${run}: started\n`);
      const result = await runChild(run, argsOf(run), io, signal);
      io.stderr(`${run}: ${result.code === 0 ? 'done' : `failed (exit ${result.code ?? 'by signal'}): ${result.tail.split('\n').at(-1) ?? ''}`}\n`);
      results.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(processes, runs.length) }, lane));
  return results;
}

function runChild(run: string, args: readonly string[], io: CliIO, signal: AbortSignal | undefined): Promise<LocalRunResult> {
  const self = selfCommand(args);
  const child = spawn(self.command, [...self.args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', stop, { once: true });
  child.on('exit', () => signal?.removeEventListener('abort', stop));
  let tail = '';
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    // Its progress lines (`<run>: ...`) go on to this process's stderr; the rest is kept for a failure's message.
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith(`${run}: `)) io.stderr(`${line}\n`);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ run, code: -1, tail: error.message }));
    child.on('exit', (code) => resolve({ run, code, tail: tail.trim() }));
  });
}
