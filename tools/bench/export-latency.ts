/**
 * Export latency: YOLOv5n and YOLOv8n (80 classes, seeded weights) at 160 and 640 px, batch 1, run as
 * the tfjs model (forward + decode, the project's backend), as the TF.js graph model of
 * `exportTfjsGraph` (tf.loadGraphModel, same backend) and as the ONNX export of `exportOnnx` in
 * onnxruntime-node (CPU, intraOpNumThreads 1 and 2, graph optimisations on); plus the files' sizes.
 * Every export passes its own parity check first. Cases interleave over rounds (rotating order); a
 * case's figure is the median of its per-round medians. JSON on stdout; `--out file` keeps it.
 * `npm run bench:export` (BENCH_ROUNDS, BENCH_RUNS_160, BENCH_RUNS_640 override the counts).
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import type { DatasetSource, DetectionModel, OnnxSession } from '@yolo-distill/core';
import { resolveShapesOptions, ShapesDataset } from '@yolo-distill/data';
import { DEFAULT_NMS, exportOnnx, exportTfjsGraph, loadTfjsExport } from '@yolo-distill/export';
import { buildYoloV5, yoloV5LossFunction } from '@yolo-distill/yolo-v5';
import { buildYoloV8, yoloV8LossFunction } from '@yolo-distill/yolo-v8';

const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const RUNS: Record<number, number> = { 160: Number(process.env['BENCH_RUNS_160'] ?? 20), 640: Number(process.env['BENCH_RUNS_640'] ?? 6) };
const WARMUP = 2;
const CLASSES = 80;

const backend = (await selectBackend('auto')).name;
const work = mkdtempSync(join(tmpdir(), 'yd-bench-export-'));

/** The shapes set's images under 80 class names (the exports' parity check needs real images and the model's class count). */
async function parityData(size: number): Promise<DatasetSource> {
  const shapes = new ShapesDataset(join(work, `shapes-${size}`), resolveShapesOptions({ imageSize: size, train: 1, val: 2, seed: 5 }));
  await shapes.prepare();
  return {
    name: `shapes-${size}`,
    root: shapes.root,
    classNames: Array.from({ length: CLASSES }, (_, i) => `class${i}`),
    imageSize: size,
    prepare: () => shapes.prepare(),
    size: (split) => shapes.size(split),
    sample: (split, index) => shapes.sample(split, index),
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round2 = (x: number) => Number(x.toFixed(2));

interface Runner {
  readonly name: string;
  run(): Promise<void>;
  close(): Promise<void>;
}

async function timed(runner: Runner, runs: number): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await runner.run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await runner.run();
    times.push(performance.now() - started);
  }
  return times;
}

function tfjsModelRunner(model: DetectionModel, image: tf.Tensor4D): Runner {
  return {
    name: `tfjs model (${backend})`,
    run: async () => {
      const output = tf.tidy(() => {
        const out = model.forward(image, { training: false });
        return model.decodeAsExported?.(out) ?? model.decode(out);
      });
      await output.data();
      output.dispose();
    },
    close: async () => undefined,
  };
}

async function graphRunner(folder: string, image: tf.Tensor4D): Promise<Runner> {
  const graph = await loadTfjsExport(folder);
  return {
    name: `tfjs graph model (${backend})`,
    run: async () => {
      const output = graph.execute(image) as tf.Tensor;
      await output.data();
      output.dispose();
    },
    close: async () => graph.dispose(),
  };
}

async function ortRunner(file: string, threads: number, nchw: Float32Array, size: number): Promise<Runner> {
  const session: OnnxSession = await new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: threads, interOpThreads: 1, graphOptimization: 'all' }).create(file);
  return {
    name: `onnxruntime-node cpu, intraOpNumThreads ${threads}`,
    run: async () => {
      await session.run({ images: { data: nchw, dims: [1, 3, size, size] } });
    },
    close: () => session.release(),
  };
}

const folderBytes = (folder: string) => readdirSync(folder).filter((name) => name !== 'parity.json').reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);

const rows = [];
try {
  for (const size of [160, 640]) {
    const data = await parityData(size);
    const sample = await data.sample('val', 0);
    const image = tf.tensor4d(sample.image.data, [1, size, size, 3]);
    const nchw = tf.tidy(() => tf.transpose(image, [0, 3, 1, 2]).dataSync() as Float32Array);
    for (const version of ['v5n', 'v8n'] as const) {
      const model = version === 'v8n' ? buildYoloV8({ scale: 'n', numClasses: CLASSES, seed: 0, loss: yoloV8LossFunction() }) : buildYoloV5({ scale: 'n', numClasses: CLASSES, seed: 0, loss: yoloV5LossFunction() });
      const onnxFile = join(work, `${version}-${size}.onnx`);
      const webFolder = join(work, `${version}-${size}_web_model`);
      const provenance = { pipeline: 'bench:export' };
      const onnx = await exportOnnx(model, { out: onnxFile, opset: 13, dynamic: false, output: 'decoded', nms: DEFAULT_NMS, parityImages: 2, provenance }, { data, sessions: new OrtSessionFactory({ executionProviders: ['cpu'] }) });
      const web = await exportTfjsGraph(model, { out: webFolder, dynamic: false, output: 'decoded', parityImages: 2, provenance }, { data });
      const runners = [tfjsModelRunner(model, image), await graphRunner(webFolder, image), await ortRunner(onnxFile, 1, nchw, size), await ortRunner(onnxFile, 2, nchw, size)];
      const perRound: number[][] = runners.map(() => []);
      const load: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        load.push(round2(loadavg()[0] as number));
        for (let k = 0; k < runners.length; k++) {
          const index = (k + round) % runners.length;
          perRound[index]?.push(median(await timed(runners[index] as Runner, RUNS[size] as number)));
        }
      }
      for (const runner of runners) await runner.close();
      const cases = runners.map((runner, i) => ({ runtime: runner.name, medianMs: round2(median(perRound[i] as number[])), roundMediansMs: (perRound[i] as number[]).map(round2) }));
      const tfjsMs = cases[0]?.medianMs as number;
      rows.push({
        model: version,
        imageSize: size,
        batch: 1,
        output: onnx.report.outputs[0]?.dims,
        cases: cases.map((c) => ({ ...c, speedupOverTfjsModel: round2(tfjsMs / c.medianMs) })),
        files: {
          onnxBytes: statSync(onnxFile).size,
          tfjsBytes: folderBytes(webFolder),
          tfjsShards: web.files.length - 2,
          parity: { onnx: onnx.report.worst.relativeError, tfjsGraph: web.report.worst.relativeError },
        },
        loadAverage1m: load,
      });
      process.stderr.write(`${version} ${size}px: ${cases.map((c) => `${c.runtime} ${c.medianMs} ms`).join(', ')}\n`);
      model.dispose();
    }
    image.dispose();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const report = {
  benchmark: 'export latency, batch 1: the tfjs model vs its TF.js graph export vs its ONNX export in onnxruntime-node (1 and 2 intra-op threads); file sizes',
  date: new Date().toISOString(),
  method: `per case ${WARMUP} warm-up runs, then ${RUNS[160]} (160 px) / ${RUNS[640]} (640 px) timed runs per round, ${ROUNDS} rounds in rotating order; medianMs = median of the round medians; a tfjs run includes reading the output back`,
  note: 'the 1-minute load average at the start of each round is in rows[].loadAverage1m: other work on the machine slows every case; rows[].output is the parity check output shape',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round2(totalmem() / 2 ** 30), node: process.version, tfjsBackend: backend },
  rows,
};
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (outFile) writeFileSync(outFile, `${json}\n`);
