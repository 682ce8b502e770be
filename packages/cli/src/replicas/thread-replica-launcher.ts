import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReplicaInit, ReplicaLauncher } from '@yolo-distill/trainer';
import type { ReplicaWorkerData } from './replica-worker-data.js';

/**
 * Sources (vitest, tsx) have no built worker file: a small bootstrap registers tsx in the thread and
 * imports the TypeScript entry, resolving sibling packages to their sources as the caller does.
 */
const TYPESCRIPT_BOOTSTRAP = String.raw`
const { workerData } = await import('node:worker_threads');
const api = await import(workerData.bootstrap.tsx);
(api.register ?? api.default.register)({ tsconfig: workerData.bootstrap.tsconfig });
await import(workerData.bootstrap.entry);
`;

export interface PipelineText {
  readonly file: string;
  /** The YAML after `${ENV}` and `--set` (the spec's `resolvedText`). */
  readonly text: string;
}

/**
 * Starts each replica of a training stage (`workers:`) as a worker_thread running `replica-worker`,
 * which builds the pipeline from the same resolved YAML and the same builtin plugins as this process.
 */
export class ThreadReplicaLauncher implements ReplicaLauncher {
  constructor(
    private readonly pipeline: PipelineText,
    private readonly backend: string,
    private readonly folder: string,
  ) {}

  launch(replica: ReplicaInit): Worker {
    const data: ReplicaWorkerData = { pipeline: this.pipeline, backend: this.backend, folder: this.folder, replica };
    const fromSources = import.meta.url.endsWith('.ts');
    if (!fromSources) return new Worker(new URL('./replica-worker.js', import.meta.url), { execArgv: [], workerData: data });
    const bootstrap = {
      tsx: tsxEsmApi(),
      tsconfig: fileURLToPath(new URL('../../../../tsconfig.base.json', import.meta.url)),
      entry: new URL('./replica-worker.ts', import.meta.url).href,
    };
    return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, execArgv: ['--conditions=@yolo-distill/source'], workerData: { ...data, bootstrap } });
  }
}

/** The file URL of tsx's ESM register API, as its package's export map names it. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const target = exports['./esm/api']?.import.default;
  if (!target) throw new Error(`${manifest}: no ./esm/api export (the replica threads of a run from sources need tsx 4)`);
  return pathToFileURL(join(dirname(manifest), target)).href;
}
