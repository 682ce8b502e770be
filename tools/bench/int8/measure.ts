import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { OrtSessionFactory } from '@yolo-distill/backend';
import { measureOnnx } from '@yolo-distill/eval';

const CLI = resolve('packages/cli/dist/main.js');

/** One model file as the benchmark reports it: mAP in points on the val split, size, ORT latency. */
export interface ModelFigures {
  readonly file: string;
  readonly map50: number;
  readonly map5095: number;
  readonly size_mb: number;
  /** Median ms per 1-image run in onnxruntime-node (CPU, graph optimisations on), intra-op threads 1 and 2 (see {@link interleavedLatency}). */
  readonly latency_ms: Latency;
}

export interface Latency {
  readonly threads1: number;
  readonly threads2: number;
}

/** `yolo-distill eval <file> --data <root> --json`: the project's evaluator (Ultralytics' val NMS, COCO mAP). */
function evaluate(file: string, dataRoot: string): Promise<{ map50: number; map: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, 'eval', file, '--data', dataRoot, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`yolo-distill eval ${file} failed (exit ${code}): ${Buffer.concat(err).toString()}`));
      const text = Buffer.concat(out).toString();
      done(JSON.parse(text.slice(text.indexOf('{'))) as { map50: number; map: number });
    });
  });
}

async function latency(file: string, size: number, threads: number, repeats: number): Promise<number> {
  const session = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(file, { intraOpThreads: threads, interOpThreads: 1, graphOptimization: 'all' });
  try {
    const image = { data: new Float32Array(3 * size * size).fill(0.5), dims: [1, 3, size, size] };
    const stats = await measureOnnx(session, { [session.inputNames[0] as string]: image }, { warmup: 5, repeats });
    return stats.medianMs;
  } finally {
    await session.release();
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Latency of every file, measured together so that the machine's load (shared with other jobs) hits
 * all alike: `rounds` rounds, each timing every file in a rotated order at 1 and 2 threads; a file's
 * figure is the median of its per-round medians.
 */
export async function interleavedLatency(files: readonly string[], size: number, rounds = 5, repeats = 30): Promise<Map<string, Latency>> {
  const samples = new Map(files.map((f) => [f, { threads1: [] as number[], threads2: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    const order = files.map((_, i) => files[(i + round) % files.length] as string);
    for (const file of order) {
      const s = samples.get(file) as { threads1: number[]; threads2: number[] };
      s.threads1.push(await latency(file, size, 1, repeats));
      s.threads2.push(await latency(file, size, 2, repeats));
    }
  }
  return new Map([...samples].map(([f, s]) => [f, { threads1: Number(median(s.threads1).toFixed(2)), threads2: Number(median(s.threads2).toFixed(2)) }]));
}

/** mAP (the project's evaluator) and size; latency comes from {@link interleavedLatency} over all files at report time. */
export async function measureModel(file: string, dataRoot: string): Promise<Omit<ModelFigures, 'latency_ms'>> {
  const { map50, map } = await evaluate(file, dataRoot);
  return { file, map50: Number((100 * map50).toFixed(2)), map5095: Number((100 * map).toFixed(2)), size_mb: Number((statSync(file).size / 1e6).toFixed(3)) };
}
