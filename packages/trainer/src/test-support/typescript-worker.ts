import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const BOOTSTRAP = String.raw`
const { workerData } = await import('node:worker_threads');
const api = await import(workerData.bootstrap.tsx);
(api.register ?? api.default.register)({ tsconfig: workerData.bootstrap.tsconfig });
await import(workerData.bootstrap.setup);
await import(workerData.bootstrap.entry);
`;

/**
 * Starts a TypeScript worker entry of the sources through tsx (as the CLI's replica launcher does),
 * after the workspace's test setup (the one place tests load the DI metadata polyfill).
 */
export function typescriptWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsx = pathToFileURL(join(dirname(manifest), exports['./esm/api']?.import.default ?? '')).href;
  const tsconfig = fileURLToPath(new URL('../../../../tsconfig.base.json', import.meta.url));
  const setup = new URL('../../../../tools/test-setup.ts', import.meta.url).href;
  return new Worker(BOOTSTRAP, { eval: true, execArgv: ['--conditions=@yolo-distill/source'], workerData: { ...workerData, bootstrap: { tsx, tsconfig, setup, entry: entry.href } } });
}
