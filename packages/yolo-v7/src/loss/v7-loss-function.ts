import * as tf from '@tensorflow/tfjs-core';
import { isAnchorHead, type YoloLossFunction, type YoloV5LossHyperparameters } from '@yolo-distill/yolo';
import { createYoloV7Loss, YOLOV7_HYP, type YoloV7Loss } from './yolo-v7-loss.js';

/**
 * The model's `loss()`: ComputeLossOTA for the head it is given (anchors, strides, classes), built once per
 * image size (the objectness gain depends on it), fed the batch's `[image, cls, cx, cy, w, h]` rows.
 * `defaults`: the hyp file's values (`YOLOV7_HYP` for yolov7, `YOLOV7_TINY_HYP` for yolov7-tiny).
 */
export function yoloV7LossFunction(defaults: YoloV5LossHyperparameters = YOLOV7_HYP, hyp: Partial<YoloV5LossHyperparameters> = {}): YoloLossFunction {
  const bySize = new Map<string, YoloV7Loss>();
  return (output, batch, head, options) => {
    if (!isAnchorHead(head)) throw new Error(`the YOLOv7 loss needs an anchor-based head, the model has a ${head.kind} one`);
    const [, height, width] = batch.shape;
    const key = `${height}x${width}`;
    let loss = bySize.get(key);
    if (!loss) {
      loss = createYoloV7Loss({
        numClasses: head.numClasses,
        imageSize: height,
        imageWidth: width,
        strides: head.strides,
        anchors: head.anchors.map((level) => level.flatMap(([w, h]) => [w, h])),
        defaults,
        hyp,
      });
      bySize.set(key, loss);
    }
    const soft = options?.labelSmoothing !== undefined || options?.teacher ? { ...options } : undefined;
    const { total, terms } = loss.compute(output.head as tf.Tensor4D[], { rows: batch.targets, count: batch.targetCount }, soft);
    return { total, terms: { ...terms } };
  };
}
