import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSessionFactory, selectBackend } from '@yolo-distill/backend';
import { loadCheckpointFolder, type DatasetSource } from '@yolo-distill/core';
import { resolveShapesOptions, ShapesDataset } from '@yolo-distill/data';
import { DEFAULT_NMS, exportOnnx } from '@yolo-distill/export';
import { buildYoloV5, yoloV5LossFunction } from '@yolo-distill/yolo-v5';
import { buildYoloV8, yoloV8LossFunction } from '@yolo-distill/yolo-v8';

export interface OnnxCost {
  readonly bytes: number;
  /** Median of the per-round medians, batch 1 at the data's size, onnxruntime CPU, 1 intra-op thread. */
  readonly latencyMs: number;
  readonly parityMaxAbsError: number;
  readonly params: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/**
 * Exports a checkpoint folder (a pruned one rebuilt with its channel counts) as decoded ONNX at 128 px,
 * checked against the tfjs model by exportOnnx's parity, and times it in onnxruntime-node.
 */
export async function measureOnnx(adapter: 'yolov5' | 'yolov8', checkpointFolder: string, out: string, _dataRoot: string): Promise<OnnxCost> {
  await selectBackend('auto');
  const payload = await loadCheckpointFolder(checkpointFolder);
  const numClasses = Number(payload.meta['numClasses']);
  const base = adapter === 'yolov8' ? buildYoloV8({ scale: 'n', numClasses, seed: 0, loss: yoloV8LossFunction() }) : buildYoloV5({ scale: 'n', numClasses, seed: 0, loss: yoloV5LossFunction() });
  const model = base.shapedFor(payload);
  if (model !== base) base.dispose();
  await model.loadState(payload);
  const work = mkdtempSync(join(tmpdir(), 'yd-prune-onnx-'));
  try {
    const shapes = new ShapesDataset(join(work, 'shapes'), resolveShapesOptions({ variant: 'fine', imageSize: 128, train: 1, val: 4, seed: 5 }));
    await shapes.prepare();
    const data: DatasetSource = {
      name: 'parity',
      root: shapes.root,
      classNames: Array.from({ length: numClasses }, (_, i) => `class${i}`),
      imageSize: 128,
      prepare: () => shapes.prepare(),
      size: (split) => shapes.size(split),
      sample: (split, index) => shapes.sample(split, index),
    };
    mkdirSync(dirname(out), { recursive: true });
    const result = await exportOnnx(model, { out, opset: 13, dynamic: false, output: 'decoded', nms: DEFAULT_NMS, parityImages: 2, provenance: { pipeline: 'bench:prune', checkpoint: checkpointFolder } }, { data, sessions: new OrtSessionFactory({ executionProviders: ['cpu'] }) });
    const session = await new OrtSessionFactory({ executionProviders: ['cpu'], intraOpThreads: 1, interOpThreads: 1, graphOptimization: 'all' }).create(out);
    const sample = await data.sample('val', 0);
    const nchw = tf.tidy(() => tf.transpose(tf.tensor4d(sample.image.data, [1, 128, 128, 3]), [0, 3, 1, 2]).dataSync() as Float32Array);
    const rounds: number[] = [];
    try {
      for (let i = 0; i < 3; i++) await session.run({ images: { data: nchw, dims: [1, 3, 128, 128] } });
      for (let round = 0; round < 5; round++) {
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
          const started = performance.now();
          await session.run({ images: { data: nchw, dims: [1, 3, 128, 128] } });
          times.push(performance.now() - started);
        }
        rounds.push(median(times));
      }
    } finally {
      await session.release();
    }
    return { bytes: statSync(out).size, latencyMs: Number(median(rounds).toFixed(3)), parityMaxAbsError: result.report.worst.maxAbsError, params: model.parameterCount() };
  } finally {
    model.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}
