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
  /** Median ms per 1-image run in onnxruntime-node (CPU, graph optimisations on), intra-op threads 1 and 2. */
  readonly latency_ms: { readonly threads1: number; readonly threads2: number };
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

async function latency(file: string, size: number, threads: number): Promise<number> {
  const session = await new OrtSessionFactory({ executionProviders: ['cpu'] }).create(file, { intraOpThreads: threads, interOpThreads: 1, graphOptimization: 'all' });
  try {
    const image = { data: new Float32Array(3 * size * size).fill(0.5), dims: [1, 3, size, size] };
    const stats = await measureOnnx(session, { [session.inputNames[0] as string]: image }, { warmup: 5, repeats: 40 });
    return Number(stats.medianMs.toFixed(2));
  } finally {
    await session.release();
  }
}

export async function measureModel(file: string, dataRoot: string, size: number): Promise<ModelFigures> {
  const { map50, map } = await evaluate(file, dataRoot);
  return {
    file,
    map50: Number((100 * map50).toFixed(2)),
    map5095: Number((100 * map).toFixed(2)),
    size_mb: Number((statSync(file).size / 1e6).toFixed(3)),
    latency_ms: { threads1: await latency(file, size, 1), threads2: await latency(file, size, 2) },
  };
}
