import * as tf from '@tensorflow/tfjs-core';
import { isDflHead } from '../../heads/head-spec.js';
import type { YoloLossFunction } from '../../model/yolo-model.js';
import { createYoloV8Loss, type YoloV8Loss } from './yolo-v8-loss.js';
import type { YoloV8LossGains } from './loss-config.js';

/** The model's `loss()`: v8DetectionLoss for the head it is given (strides, reg_max, classes), built once per image size. */
export function yoloV8LossFunction(gains: Partial<YoloV8LossGains> = {}): YoloLossFunction {
  const bySize = new Map<string, YoloV8Loss>();
  return (output, batch, head, options) => {
    if (options?.teacher || options?.labelSmoothing !== undefined) {
      throw new Error('the YOLOv8 loss takes no soft class targets (labelSmoothing, teacherMix): its targets are task-aligned scores; set them for anchor-based students only');
    }
    // The v8 family's loss: task-aligned assignment over DFL boxes.
    if (!isDflHead(head)) throw new Error(`the YOLOv8 loss needs an anchor-free (DFL) head, the model has a ${head.kind} one`);
    const [, height, width] = batch.shape;
    const key = `${height}x${width}`;
    let loss = bySize.get(key);
    if (!loss) {
      loss = createYoloV8Loss({ numClasses: head.numClasses, imageSize: [height, width], strides: head.strides, regMax: head.regMax, gains });
      bySize.set(key, loss);
    }
    const { total, terms } = loss.compute(output.head as tf.Tensor4D[], { rows: batch.targets, count: batch.targetCount });
    return { total, terms: { ...terms } };
  };
}
