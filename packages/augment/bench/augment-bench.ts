/**
 * The augmentation benchmark (`npm run bench -w @yolo-distill/augment`): milliseconds per sample of
 * each image augmentation at 640 x 640 (median of `BENCH_ROUNDS`, default 15, after one warm-up),
 * and of FeatureCutMix on YOLO P3-P5 sized maps (on the backend `auto` picks). Prints JSON; `--out FILE` also writes it.
 */
// The entry point loads reflect-metadata once (core's DI imports tsyringe), as the CLI does.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { SeededRng, type Augmentation, type Sample } from '@yolo-distill/core';
import { FeatureCutMix } from '../src/feature-cut-mix.js';
import { Flip } from '../src/flip.js';
import { Hsv } from '../src/hsv.js';
import { MixUp } from '../src/mix-up.js';
import { Mosaic } from '../src/mosaic.js';
import { RandomAffine } from '../src/random-affine.js';

const SIZE = 640;
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 15);
const args = process.argv.slice(2);
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const round = (ms: number): number => Math.round(ms * 100) / 100;

function randomSample(rng: SeededRng, index: number): Sample {
  const data = new Float32Array(SIZE * SIZE * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  const count = 20;
  const rows = new Float32Array(count * 5);
  for (let i = 0; i < count; i++) rows.set([i % 5, rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9), rng.uniform(0.02, 0.3), rng.uniform(0.02, 0.3)], i * 5);
  return { image: { data, width: SIZE, height: SIZE }, labels: { rows, count }, source: `random-${index}` };
}

const rng = new SeededRng(0);
const pool = Array.from({ length: 4 }, (_, i) => randomSample(rng, i));
const augmentations: Record<string, Augmentation> = {
  'augment.Mosaic': new Mosaic(),
  'augment.Mosaic (scale 0.5, translate 0.1)': new Mosaic({ p: 1, degrees: 0, translate: 0.1, scale: 0.5, shear: 0 }),
  'augment.MixUp': new MixUp(),
  'augment.HSV': new Hsv(),
  'augment.Flip': new Flip(),
  'augment.RandomAffine': new RandomAffine(),
};

const results: Record<string, number> = {};
for (const [name, augmentation] of Object.entries(augmentations)) {
  const context = { rng, drawSample: async () => pool[rng.int(pool.length)]! };
  const times: number[] = [];
  for (let i = 0; i <= rounds; i++) {
    const started = performance.now();
    await augmentation.apply(pool[0]!, context);
    if (i > 0) times.push(performance.now() - started);
  }
  results[name] = round(median(times));
}

const backend = await selectBackend('auto');
const maps = (channels: number) => ({ 'neck.0': tf.randomUniform([8, 80, 80, channels]) as tf.Tensor4D, 'neck.1': tf.randomUniform([8, 40, 40, 2 * channels]) as tf.Tensor4D, 'neck.2': tf.randomUniform([8, 20, 20, 4 * channels]) as tf.Tensor4D });
const student = maps(64);
const teacher = maps(128);
const cutMix = new FeatureCutMix({ p: 1, alpha: 1 });
const cutTimes: number[] = [];
for (let i = 0; i <= rounds; i++) {
  const started = performance.now();
  // cpu, wasm and tfjs-node run kernels eagerly: the tensors exist when apply returns (no read-back timed).
  // One mix per step (p = 1 always fires), applied to every map of both networks.
  const mix = cutMix.draw(8, rng);
  const out = [...Object.values(student), ...Object.values(teacher)].map((map) => mix?.apply(map));
  if (i > 0) cutTimes.push(performance.now() - started);
  tf.dispose(out.filter((map) => map !== undefined));
}
results['augment.FeatureCutMix (batch 8, P3-P5 at 640, 64/128 channels)'] = round(median(cutTimes));

const report = { imageSize: SIZE, rounds, backend: backend.describe(), cpu: cpus()[0]?.model, msPerSample: results };
console.log(JSON.stringify(report, null, 2));
if (outFile) writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
