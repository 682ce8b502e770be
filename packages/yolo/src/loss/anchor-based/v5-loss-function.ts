import * as tf from '@tensorflow/tfjs-core';
import { isAnchorHead } from '../../heads/head-spec.js';
import type { YoloLossFunction } from '../../model/yolo-model.js';
import { createYoloV5Loss, type YoloV5Loss } from './yolo-v5-loss.js';
import type { YoloV5LossHyperparameters } from './loss-config.js';

/**
 * The model's `loss()`: ComputeLoss for the head it is given (anchors, strides, classes), built once
 * per image size (the objectness gain depends on it), fed the batch's `[image, cls, cx, cy, w, h]` rows.
 */
export function yoloV5LossFunction(hyp: Partial<YoloV5LossHyperparameters> = {}): YoloLossFunction {
  const bySize = new Map<number, YoloV5Loss>();
  return (output, batch, head, options) => {
    // The v5 family's loss: it assigns targets to anchors.
    if (!isAnchorHead(head)) throw new Error(`the YOLOv5 loss needs an anchor-based head, the model has a ${head.kind} one`);
    const imageSize = batch.shape[1];
    let loss = bySize.get(imageSize);
    if (!loss) {
      loss = createYoloV5Loss({
        numClasses: head.numClasses,
        imageSize,
        strides: head.strides,
        anchors: head.anchors.map((level) => level.flatMap(([w, h]) => [w, h])),
        hyp,
      });
      bySize.set(imageSize, loss);
    }
    const soft = options?.labelSmoothing !== undefined || options?.teacher ? { ...options } : undefined;
    const { total, terms } = loss.compute(output.head as tf.Tensor4D[], { rows: batch.targets, count: batch.targetCount }, soft);
    return { total, terms: { ...terms } };
  };
}
