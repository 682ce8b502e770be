import * as tf from '@tensorflow/tfjs-core';
import { bbox2dist } from '../../assign/box-distance.js';
import { boxIoU } from '../../boxes/box-iou.js';
import { distributionFocalLoss } from './dfl-loss.js';

/** The foreground (positive) anchors only, P rows each, all in grid units of each anchor's level. */
export interface ForegroundBoxes {
  /** [P, 4] decoded predicted boxes, xyxy; carries the gradient. */
  readonly predBoxes: tf.Tensor;
  /** [P, 4, regMax] box distribution logits; carries the gradient. */
  readonly predLogits: tf.Tensor;
  /** [P, 2] anchor centres. */
  readonly anchorPoints: tf.Tensor;
  /** [P, 4] assigned ground-truth boxes, xyxy. */
  readonly targetBoxes: tf.Tensor;
  /** [P, 1] the anchor's target scores summed over classes. */
  readonly weight: tf.Tensor;
}

/**
 * Ultralytics' `BboxLoss` with DFL: sum((1 - CIoU(pred, target)) * weight) / targetScoresSum and
 * sum(DFL(logits, bbox2dist(anchor, target, regMax - 1)) * weight) / targetScoresSum.
 */
export function bboxLoss(fg: ForegroundBoxes, targetScoresSum: number): { box: tf.Scalar; dfl: tf.Scalar } {
  return tf.tidy(() => {
    const regMax = fg.predLogits.shape[fg.predLogits.shape.length - 1] as number;
    const iou = boxIoU(fg.predBoxes, fg.targetBoxes, { format: 'xyxy', kind: 'ciou' });
    const box = tf.div(tf.sum(tf.mul(tf.sub(1, iou), fg.weight)), targetScoresSum) as tf.Scalar;
    const targetDistances = bbox2dist(fg.anchorPoints, fg.targetBoxes, regMax - 1);
    const dfl = tf.div(tf.sum(tf.mul(distributionFocalLoss(fg.predLogits, targetDistances), fg.weight)), targetScoresSum) as tf.Scalar;
    return { box, dfl };
  });
}
