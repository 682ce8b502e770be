import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const workspace = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export interface CliChild {
  readonly child: ChildProcess;
  /** What it printed so far. */
  readonly output: () => { readonly stdout: string; readonly stderr: string };
  readonly exit: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string }>;
}

/** A `yolo-distill` process from source (cli-process.ts: main.ts's signal handling and the test plugin), tsx as its loader. */
export function cliChild(args: readonly string[], cwd: string): CliChild {
  const child = spawn(process.execPath, ['--conditions=@yolo-distill/source', '--import', pathToFileURL(join(workspace, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(workspace, 'packages/cli/src/test-support/cli-process.ts'), ...args], {
    cwd,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(workspace, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), exit };
}
