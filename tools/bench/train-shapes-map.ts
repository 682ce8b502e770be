/**
 * Does a YOLO model built here learn? Trains a fresh YOLOv5n or v8n on the synthetic shapes set for a
 * few hundred steps and reports COCO mAP on the validation split before (chance) and after.
 * `npx tsx --conditions=@yolo-distill/source tools/bench/train-shapes-map.ts [v5|v8] [steps]` -> JSON.
 */
// An entry point: load reflect-metadata before anything that uses tsyringe.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@yolo-distill/backend';
import { BatchLoader, SeededRng, type DetectionModel } from '@yolo-distill/core';
import { resolveShapesOptions, ShapesDataset } from '@yolo-distill/data';
import { evaluateCoco, type EvalDetection, type EvalGroundTruth } from '@yolo-distill/eval';
import { nonMaxSuppression } from '@yolo-distill/yolo';
import { buildYoloV5, yoloV5LossFunction } from '@yolo-distill/yolo-v5';
import { buildYoloV8, yoloV8LossFunction } from '@yolo-distill/yolo-v8';

const version = process.argv[2] === 'v8' ? 'v8' : 'v5';
const steps = Number(process.argv[3] ?? 300);
const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const IMAGE = 160;
const BATCH = 8;

async function evaluate(model: DetectionModel, data: ShapesDataset): Promise<{ map50: number; map: number }> {
  const loader = new BatchLoader(data, 'val', { batchSize: BATCH });
  const detections: EvalDetection[] = [];
  const truths: EvalGroundTruth[] = [];
  let imageIndex = 0;
  for await (const batch of loader.epoch()) {
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    const decoded = tf.tidy(() => model.decode(model.forward(images, { training: false })));
    const values = (await decoded.data()) as Float32Array;
    tf.dispose([images, decoded]);
    const perImage = nonMaxSuppression({ data: values, dims: decoded.shape }, { objectness: false, confThreshold: 0.001, iouThreshold: 0.6, maxDetections: 100 });
    perImage.forEach((list, i) => {
      for (const d of list) {
        const [x1, y1, x2, y2] = d.box;
        detections.push({ image: imageIndex + i, category: d.cls, score: d.score, box: [x1, y1, x2 - x1, y2 - y1] });
      }
    });
    for (let t = 0; t < batch.targetCount; t++) {
      const [img, cls, cx, cy, w, h] = Array.from(batch.targets.subarray(t * 6, t * 6 + 6)) as [number, number, number, number, number, number];
      truths.push({ image: imageIndex + img, category: cls, box: [(cx - w / 2) * IMAGE, (cy - h / 2) * IMAGE, w * IMAGE, h * IMAGE] });
    }
    imageIndex += batch.shape[0];
  }
  const summary = evaluateCoco(detections, truths, { categories: data.classNames.map((_, i) => i) });
  return { map50: Math.max(0, summary.map50), map: Math.max(0, summary.map) };
}

const backend = await selectBackend('auto');
const data = new ShapesDataset('datasets/shapes-bench', resolveShapesOptions({ imageSize: IMAGE, train: 512, val: 96, seed: 7 }));
await data.prepare();
const numClasses = data.classNames.length;
const model =
  version === 'v8'
    ? buildYoloV8({ scale: 'n', numClasses, seed: 0, loss: yoloV8LossFunction() })
    : buildYoloV5({ scale: 'n', numClasses, seed: 0, loss: yoloV5LossFunction() });
const before = await evaluate(model, data);

const rng = new SeededRng(0);
const optimizer = tf.train.adam(0.002);
const losses: number[] = [];
const started = Date.now();
let step = 0;
while (step < steps) {
  for await (const batch of new BatchLoader(data, 'train', { batchSize: BATCH, shuffle: true, rng, dropLast: true }).epoch()) {
    if (step >= steps) break;
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    const loss = optimizer.minimize(() => model.loss(model.forward(images, { training: true }), batch).total, true, [...model.trainableVariables()]);
    losses.push((await loss!.data())[0] as number);
    tf.dispose([images, loss!]);
    step += 1;
  }
}
const seconds = (Date.now() - started) / 1000;
const after = await evaluate(model, data);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const report = {
  benchmark: 'train a fresh YOLO nano on the synthetic shapes set; COCO mAP on its val split before (chance) and after',
  date: new Date().toISOString(),
  backend: backend.describe(),
  model: `yolo${version}n`,
  data: { train: data.size('train'), val: data.size('val'), classes: data.classNames, imageSize: IMAGE },
  training: { steps, batch: BATCH, optimizer: 'adam 0.002', seconds: Number(seconds.toFixed(1)), lossFirst10: mean(losses.slice(0, 10)), lossLast10: mean(losses.slice(-10)) },
  untrained: before,
  trained: after,
};
const json = JSON.stringify(report, null, 2);
process.stdout.write(`${json}\n`);
if (outFile) writeFileSync(outFile, `${json}\n`);
