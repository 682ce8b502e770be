import * as tf from '@tensorflow/tfjs-core';
import { BatchLoader, type DatasetSource, type DetectionModel, type Detection, type GroundTruth, type ImageBatch, type Metric, type Tensor, type Tensor4D } from '@yolo-distill/core';
import { nonMaxSuppression } from '@yolo-distill/yolo';

export interface EvaluateOptions {
  readonly batch: number;
  readonly maxImages?: number;
  readonly confThreshold: number;
  readonly iouThreshold: number;
  readonly maxDetections: number;
  /** Called after each batch with the images scored so far and the total to score. */
  readonly onProgress?: (images: number, total: number) => void;
}

/** Decoded predictions `[B, N, 4 + nc]` (cx, cy, w, h in input pixels, then class confidences). */
export type Predict = (images: Tensor4D) => Tensor | Promise<Tensor>;

/** A student's decoded predictions in inference mode. */
export function studentPredictor(student: DetectionModel): Predict {
  return (images) => tf.tidy(() => student.decode(student.forward(images, { training: false })));
}

/** Ground truth of a batch in input pixels (xyxy), one list per image. */
export function batchTruth(batch: ImageBatch): GroundTruth[][] {
  const [count, height, width] = batch.shape;
  const truth: GroundTruth[][] = Array.from({ length: count }, () => []);
  for (let r = 0; r < batch.targetCount; r++) {
    const [img, cls, cx, cy, w, h] = batch.targets.subarray(r * 6, r * 6 + 6) as unknown as [number, number, number, number, number, number];
    truth[img]?.push({ cls, box: [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height] });
  }
  return truth;
}

/** Ultralytics' fitness: 0.1 mAP@0.5 + 0.9 mAP@0.5:0.95. */
export function fitness(values: Readonly<Record<string, number>>): number {
  return 0.1 * (values['map50'] ?? 0) + 0.9 * (values['map'] ?? 0);
}

/**
 * Runs `predict` over the validation split (in file order), applies NMS per image and scores the
 * detections with `metric`. The metric's numbers plus `fitness` are returned.
 */
export async function evaluateDetector(predict: Predict, data: DatasetSource, metric: Metric, options: EvaluateOptions): Promise<Record<string, number>> {
  const loader = new BatchLoader(data, 'val', { batchSize: options.batch });
  const detections: Detection[][] = [];
  const truth: GroundTruth[][] = [];
  const limit = options.maxImages ?? Number.POSITIVE_INFINITY;
  for await (const batch of loader.epoch()) {
    if (truth.length >= limit) break;
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    let decoded: Tensor | undefined;
    try {
      decoded = await predict(images);
      const values = (await decoded.data()) as Float32Array;
      const perImage = nonMaxSuppression(
        { data: values, dims: decoded.shape },
        { objectness: false, confThreshold: options.confThreshold, iouThreshold: options.iouThreshold, maxDetections: options.maxDetections },
      );
      detections.push(...perImage);
      truth.push(...batchTruth(batch));
      options.onProgress?.(Math.min(truth.length, limit), Math.min(data.size('val'), limit));
    } finally {
      tf.dispose([images, ...(decoded ? [decoded] : [])]);
    }
  }
  const keep = Math.min(limit, truth.length);
  const values = metric.evaluate(detections.slice(0, keep), truth.slice(0, keep));
  return { ...values, fitness: fitness(values) };
}
