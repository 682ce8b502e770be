import * as tf from '@tensorflow/tfjs-core';
import type { BackendHandle, BackendName } from '@yolo-distill/core';
import { registerCpuKernelFixes, registerWasmTrainingKernels } from './kernels/register-wasm-training-kernels.js';
import { prepareTfjs } from './tfjs-setup.js';

/** tfjs backends in the order `auto` tries them: native GPU, native CPU, WebAssembly, pure JS. */
export const BACKEND_PREFERENCE = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type ConcreteBackend = (typeof BACKEND_PREFERENCE)[number];

interface Candidate {
  /** The name tfjs registers the backend under. */
  readonly tfName: string;
  /** Imports the package that registers the backend; rejects when it is not installed or cannot load. */
  load(): Promise<void>;
  threads(): number;
}

let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | undefined;

const CANDIDATES: Record<ConcreteBackend, Candidate> = {
  // Native packages are optionalDependencies: offline installs skip them, so they load only when present.
  'tfjs-node-gpu': { tfName: 'tensorflow', load: () => importOptional('@tensorflow/tfjs-node-gpu'), threads: () => 0 },
  'tfjs-node': { tfName: 'tensorflow', load: () => importOptional('@tensorflow/tfjs-node'), threads: () => 0 },
  wasm: {
    tfName: 'wasm',
    load: async () => {
      wasmModule = await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
    },
    threads: () => wasmModule?.getThreadsCount() ?? 1,
  },
  cpu: {
    tfName: 'cpu',
    load: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
      registerCpuKernelFixes();
    },
    threads: () => 1,
  },
};

async function importOptional(specifier: string): Promise<void> {
  // A variable specifier keeps bundlers and tsc from requiring the optional package at build time.
  const name: string = specifier;
  await import(name);
}

/** The backend chosen for a run, as recorded in `run.json`. */
export class SelectedBackend implements BackendHandle {
  constructor(
    readonly name: ConcreteBackend,
    readonly threads: number,
    readonly skipped: readonly { readonly name: ConcreteBackend; readonly reason: string }[],
  ) {}

  describe(): Readonly<Record<string, unknown>> {
    return { name: this.name, threads: this.threads, tfjs: tf.version_core, skipped: this.skipped };
  }
}

/**
 * Makes tfjs use the first backend of the preference order that loads (`auto`), or exactly the one
 * asked for (then failing to load it is an error that says why).
 */
export async function selectBackend(requested: BackendName = 'auto'): Promise<SelectedBackend> {
  const order: readonly ConcreteBackend[] = requested === 'auto' ? BACKEND_PREFERENCE : [requested];
  const skipped: { name: ConcreteBackend; reason: string }[] = [];
  await prepareTfjs();
  for (const name of order) {
    const candidate = CANDIDATES[name];
    try {
      await candidate.load();
      if (!(await tf.setBackend(candidate.tfName))) throw new Error(`tfjs could not initialise the '${candidate.tfName}' backend`);
      await tf.ready();
      return new SelectedBackend(name, candidate.threads(), skipped);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
      if (requested !== 'auto') throw new Error(`backend '${name}' was requested but cannot be used: ${reason}`);
      skipped.push({ name, reason });
    }
  }
  throw new Error(`no tfjs backend could be loaded: ${skipped.map((entry) => `${entry.name} (${entry.reason})`).join('; ')}`);
}
