import type { InjectionToken } from 'tsyringe';

/** A float32 tensor crossing into or out of an ONNX session (NCHW as ONNX graphs use it). */
export interface OnnxFloatTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export type OnnxGraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface OnnxSessionOptions {
  /** Execution providers by preference; the first that loads is used (e.g. `['cuda', 'cpu']`). */
  readonly executionProviders?: readonly string[];
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly graphOptimization?: OnnxGraphOptimization;
  /**
   * Run the session in its own worker_thread. onnxruntime-node's `run` holds the calling JS thread
   * for the whole forward; in a worker the caller's thread stays free, so a run started before other
   * work overlaps it. Same library and settings, so the same outputs.
   */
  readonly worker?: boolean;
}

/** An ONNX model ready to run: an ONNX teacher, an exported student, an INT8 model. */
export interface OnnxSession {
  readonly source: string;
  readonly executionProvider: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** True when `run` computes off the caller's JS thread (a session made with `worker: true`). */
  readonly offThread?: boolean;
  run(feeds: Readonly<Record<string, OnnxFloatTensor>>, outputs?: readonly string[]): Promise<Record<string, OnnxFloatTensor>>;
  release(): Promise<void>;
}

/** Makes ONNX sessions (onnxruntime-node behind it); one per run, in the run's container. */
export interface OnnxSessionFactory {
  create(model: string | Uint8Array, options?: OnnxSessionOptions): Promise<OnnxSession>;
}

export const ONNX_SESSIONS: InjectionToken<OnnxSessionFactory> = Symbol.for('yolo-distill.OnnxSessions');
