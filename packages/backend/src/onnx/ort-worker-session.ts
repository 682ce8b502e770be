import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OnnxFloatTensor, OnnxSession } from '@yolo-distill/core';
import { ORT_WORKER_SOURCE } from './ort-worker-source.js';

/** What the worker is told to open: the model, the providers by preference, onnxruntime's session options. */
export interface WorkerSessionSpec {
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly providers: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

type WorkerMessage =
  | { type: 'ready'; provider: string; inputNames: string[]; outputNames: string[] }
  | { type: 'failed'; failures: string[] }
  | { type: 'result'; id: number; outputs: Record<string, OnnxFloatTensor> }
  | { type: 'error'; id: number; message: string };

interface Pending {
  resolve(outputs: Record<string, OnnxFloatTensor>): void;
  reject(error: Error): void;
}

/**
 * An onnxruntime session living in its own worker_thread: `run` posts the feeds and returns at once,
 * the forward happens on the worker's thread while the caller's JS thread does other work. The
 * thread keeps the process alive only while a run is pending.
 */
export class OrtWorkerSession implements OnnxSession {
  readonly offThread = true;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    readonly source: string,
    readonly executionProvider: string,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
    private readonly worker: Worker,
  ) {
    worker.on('message', (message: WorkerMessage) => this.settle(message));
    worker.on('error', (error) => this.fail(new Error(`${source}: the onnxruntime worker failed: ${error.message}`)));
    worker.on('exit', () => this.fail(new Error(`${source}: the onnxruntime worker has exited`)));
    worker.unref();
  }

  /** Starts the worker and opens the model there with the first provider that loads. */
  static async open(spec: WorkerSessionSpec): Promise<OrtWorkerSession> {
    const ortUrl = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
    // No inherited flags (--input-type, loaders): the worker's code needs none.
    const worker = new Worker(ORT_WORKER_SOURCE, { eval: true, execArgv: [], workerData: { ortUrl, bytes: spec.bytes, providers: [...spec.providers], options: spec.options } });
    const [first] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error as Error))])) as [WorkerMessage];
    if (first.type !== 'ready') {
      await worker.terminate();
      const failures = first.type === 'failed' ? first.failures.join('; ') : `unexpected message ${first.type}`;
      throw new Error(`${spec.source} cannot be loaded by onnxruntime (${failures})`);
    }
    return new OrtWorkerSession(spec.source, first.provider, first.inputNames, first.outputNames, worker);
  }

  run(feeds: Readonly<Record<string, OnnxFloatTensor>>, outputs?: readonly string[]): Promise<Record<string, OnnxFloatTensor>> {
    if (this.failure) return Promise.reject(this.failure);
    const plain: Record<string, OnnxFloatTensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      if (!this.inputNames.includes(name)) return Promise.reject(new Error(`${this.source}: the model has no input '${name}' (inputs: ${this.inputNames.join(', ')})`));
      plain[name] = { data: ownBuffer(tensor.data), dims: [...tensor.dims] };
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id, feeds: plain, outputs: outputs ? [...outputs] : undefined });
    });
  }

  async release(): Promise<void> {
    if (this.failure) return;
    this.failure = new Error(`${this.source}: the session was released`);
    const exited = once(this.worker, 'exit');
    this.worker.ref();
    this.worker.postMessage({ type: 'release' });
    await exited;
  }

  private settle(message: WorkerMessage): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.type === 'result') pending.resolve(message.outputs);
    else pending.reject(new Error(`${this.source}: ${message.message}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}

/** A typed array that spans its whole buffer (a view would post the rest of its buffer too). */
function ownBuffer(data: Float32Array): Float32Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}
