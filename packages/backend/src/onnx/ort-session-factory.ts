import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { OnnxFloatTensor, OnnxSession, OnnxSessionFactory, OnnxSessionOptions } from '@yolo-distill/core';
import { OrtWorkerSession } from './ort-worker-session.js';

/**
 * Defaults: GPU first where its provider loads, CPU otherwise; graph optimisation off, because
 * onnxruntime-node 1.30's optimised graphs change what some YOLO exports compute (yolov3-tiny: 258 of
 * 375 rows off by > 1%); turn it on per session once its outputs are verified.
 */
export const DEFAULT_ORT_OPTIONS: Required<OnnxSessionOptions> = {
  executionProviders: ['cuda', 'cpu'],
  intraOpThreads: 0,
  interOpThreads: 0,
  graphOptimization: 'disabled',
  worker: false,
};

const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };

class OrtSession implements OnnxSession {
  constructor(
    readonly source: string,
    readonly executionProvider: string,
    private readonly session: ort.InferenceSession,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Readonly<Record<string, OnnxFloatTensor>>, outputs?: readonly string[]): Promise<Record<string, OnnxFloatTensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      if (!this.session.inputNames.includes(name)) {
        throw new Error(`${this.source}: the model has no input '${name}' (inputs: ${this.session.inputNames.join(', ')})`);
      }
      ortFeeds[name] = new ort.Tensor('float32', tensor.data, [...tensor.dims]);
    }
    const results = outputs ? await this.session.run(ortFeeds, [...outputs]) : await this.session.run(ortFeeds);
    const converted: Record<string, OnnxFloatTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      if (value.type !== 'float32') throw new Error(`${this.source}: output '${name}' is ${value.type}, expected float32`);
      converted[name] = { data: value.data as Float32Array, dims: [...value.dims] };
      value.dispose();
    }
    return converted;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime-node sessions with execution providers tried in order of preference. */
export class OrtSessionFactory implements OnnxSessionFactory {
  private readonly defaults: Required<OnnxSessionOptions>;

  constructor(defaults: OnnxSessionOptions = {}) {
    this.defaults = { ...DEFAULT_ORT_OPTIONS, ...defaults };
  }

  async create(model: string | Uint8Array, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
    const settings = { ...this.defaults, ...options };
    const source = typeof model === 'string' ? model : `<${model.byteLength} bytes of ONNX>`;
    const bytes = typeof model === 'string' ? await readModel(model) : model;
    const failures: string[] = [];
    const available = availableOrtProviders();
    const usable = settings.executionProviders.filter((provider) => available.includes(provider));
    if (usable.length === 0) {
      throw new Error(`${source}: none of the execution providers ${settings.executionProviders.join(', ')} is available (available: ${available.join(', ')})`);
    }
    const sessionOptions = {
      graphOptimizationLevel: settings.graphOptimization,
      ...(settings.intraOpThreads > 0 ? { intraOpNumThreads: settings.intraOpThreads } : {}),
      ...(settings.interOpThreads > 0 ? { interOpNumThreads: settings.interOpThreads } : {}),
    };
    // A session in a worker shares the cores with the caller's thread: its pool threads block when idle
    // instead of spinning (on a 2-core machine a spinning pool slows the student's step; same outputs).
    if (settings.worker) return OrtWorkerSession.open({ source, bytes, providers: usable, options: { ...sessionOptions, extra: NO_SPINNING } });
    for (const provider of usable) {
      try {
        const session = await ort.InferenceSession.create(bytes, { ...sessionOptions, executionProviders: [provider] });
        return new OrtSession(source, provider, session);
      } catch (error) {
        failures.push(`${provider}: ${firstLine(error)}`);
      }
    }
    throw new Error(`${source} cannot be loaded by onnxruntime (${failures.join('; ')})`);
  }
}

/**
 * Providers this install can load: bundled ones (cpu) and those whose provider library is present
 * (the CUDA/TensorRT libraries arrive only when onnxruntime-node's install script downloads them).
 */
export function availableOrtProviders(): string[] {
  const packageRoot = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  const binaries = join(packageRoot, 'bin', 'napi-v6', process.platform, process.arch);
  return ort
    .listSupportedBackends()
    .filter((backend) => backend.bundled || existsSync(join(binaries, `libonnxruntime_providers_${backend.name}.so`)))
    .map((backend) => backend.name);
}

async function readModel(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${path}: ${code === 'ENOENT' ? 'file not found' : firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
