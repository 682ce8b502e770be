/**
 * Loader throughput: images/s of the BatchLoader over the synthetic shapes set, plain and with
 * Mosaic (p = 1) + flip + HSV, at 160 and 640 px, batch 8. JSON on stdout; `--out file` keeps it.
 * `npm run bench:loader`
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Flip, Hsv, Mosaic, FLIP_DEFAULTS, HSV_DEFAULTS, MOSAIC_DEFAULTS } from '@yolo-distill/augment';
import { BatchLoader, SeededRng, type Augmentation } from '@yolo-distill/core';
import { resolveShapesOptions, ShapesDataset } from '@yolo-distill/data';

const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const BATCH = 8;

async function imagesPerSecond(data: ShapesDataset, augmentations: readonly Augmentation[]): Promise<number> {
  const loader = new BatchLoader(data, 'train', { batchSize: BATCH, shuffle: true, rng: new SeededRng(0), augmentations });
  let images = 0;
  const started = performance.now();
  for await (const batch of loader.epoch()) images += batch.shape[0];
  return Number(((images * 1000) / (performance.now() - started)).toFixed(1));
}

const rows = [];
for (const size of [160, 640]) {
  const data = new ShapesDataset(`datasets/shapes-loader-${size}`, resolveShapesOptions({ imageSize: size, train: 64, val: 8, seed: 11 }));
  await data.prepare();
  await imagesPerSecond(data, []); // warm the file cache
  const plain = await imagesPerSecond(data, []);
  const mosaic = await imagesPerSecond(data, [new Mosaic(MOSAIC_DEFAULTS), new Flip(FLIP_DEFAULTS), new Hsv(HSV_DEFAULTS)]);
  rows.push({ imageSize: size, batch: BATCH, images: data.size('train'), plainImagesPerSecond: plain, mosaicFlipHsvImagesPerSecond: mosaic });
}
const report = {
  benchmark: 'BatchLoader throughput on the shapes set (PNG decode with sharp + augmentations in JS), one process',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  rows,
};
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (outFile) writeFileSync(outFile, `${json}\n`);
