import * as tf from '@tensorflow/tfjs-core';
import { BatchLoader, type DatasetSource, type Split, type Tensor, type Tensor4D } from '@yolo-distill/core';
import { nonMaxSuppression } from '../nms/non-max-suppression.js';
import type { LabelBoxes } from './label-boxes.js';

/** Decoded predictions `[B, N, 4 + nc]` (cx, cy, w, h in input pixels, then class confidences), as `DetectionModel.decode` gives them. */
export type BoxPredictor = (images: Tensor4D) => Promise<Tensor> | Tensor;

export interface PredictedBoxesOptions {
  readonly split?: Split;
  /** Read at most this many images (the first ones of the split); default all. */
  readonly images?: number;
  readonly batch?: number;
  /** Keep detections scoring above this after NMS (default 0.25, Ultralytics' predict threshold). */
  readonly conf?: number;
  readonly iou?: number;
}

/**
 * The sizes of a model's confident predicted boxes on a dataset split, in input pixels (the letterboxed
 * image, the same units `readLabelBoxes` gives): what `anchors: refit` with `from: student | teacher`
 * clusters instead of the labels.
 */
export async function readPredictedBoxes(data: DatasetSource, predict: BoxPredictor, options: PredictedBoxesOptions = {}): Promise<LabelBoxes> {
  const split = options.split ?? 'train';
  const wanted = Math.min(data.size(split), options.images ?? Number.POSITIVE_INFINITY);
  const boxes: [number, number][] = [];
  let images = 0;
  for await (const batch of new BatchLoader(data, split, { batchSize: options.batch ?? 8 }).epoch()) {
    if (images >= wanted) break;
    const input = tf.tensor4d(batch.images, [...batch.shape]);
    try {
      const decoded = await predict(input);
      const dims = decoded.shape;
      const values = (await decoded.data()) as Float32Array;
      decoded.dispose();
      const detections = nonMaxSuppression({ data: values, dims }, { objectness: false, confThreshold: options.conf ?? 0.25, iouThreshold: options.iou ?? 0.6 });
      for (const image of detections.slice(0, wanted - images)) {
        for (const { box } of image) boxes.push([box[2] - box[0], box[3] - box[1]]);
      }
      images += Math.min(batch.shape[0], wanted - images);
    } finally {
      input.dispose();
    }
  }
  return { boxes, images };
}
