import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../tensor/stop-gradient.js';

export type BoxFormat = 'xyxy' | 'xywh';
export type IoUKind = 'iou' | 'giou' | 'diou' | 'ciou';

export interface BoxIoUOptions {
  /** Coordinate layout of the last axis (4 values): corners or centre + size. */
  readonly format?: BoxFormat;
  readonly kind?: IoUKind;
  readonly eps?: number;
}

/** Splits [..., 4] boxes into x1, y1, x2, y2 (each [..., 1]). */
function corners(boxes: tf.Tensor, format: BoxFormat): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const [a, b, c, d] = tf.split(boxes, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  if (format === 'xyxy') return [a, b, c, d];
  const halfW = tf.div(c, 2);
  const halfH = tf.div(d, 2);
  return [tf.sub(a, halfW), tf.sub(b, halfH), tf.add(a, halfW), tf.add(b, halfH)];
}

/**
 * IoU and its generalisations between boxes that broadcast against each other ([..., 4] each),
 * as Ultralytics' `bbox_iou` defines them: GIoU (minus the empty share of the enclosing box), DIoU
 * (minus centre distance^2 / enclosing diagonal^2), CIoU (DIoU minus alpha * v, the aspect-ratio
 * term, alpha taken without gradient). Returns [..., 1].
 */
export function boxIoU(box1: tf.Tensor, box2: tf.Tensor, options: BoxIoUOptions = {}): tf.Tensor {
  const { format = 'xyxy', kind = 'iou', eps = 1e-7 } = options;
  return tf.tidy(() => {
    const [b1x1, b1y1, b1x2, b1y2] = corners(box1, format);
    const [b2x1, b2y1, b2x2, b2y2] = corners(box2, format);
    const w1 = tf.sub(b1x2, b1x1);
    const h1 = tf.add(tf.sub(b1y2, b1y1), eps);
    const w2 = tf.sub(b2x2, b2x1);
    const h2 = tf.add(tf.sub(b2y2, b2y1), eps);
    const interW = tf.relu(tf.sub(tf.minimum(b1x2, b2x2), tf.maximum(b1x1, b2x1)));
    const interH = tf.relu(tf.sub(tf.minimum(b1y2, b2y2), tf.maximum(b1y1, b2y1)));
    const inter = tf.mul(interW, interH);
    const union = tf.add(tf.sub(tf.add(tf.mul(w1, h1), tf.mul(w2, h2)), inter), eps);
    const iou = tf.div(inter, union);
    if (kind === 'iou') return iou;

    const cw = tf.sub(tf.maximum(b1x2, b2x2), tf.minimum(b1x1, b2x1));
    const ch = tf.sub(tf.maximum(b1y2, b2y2), tf.minimum(b1y1, b2y1));
    if (kind === 'giou') {
      const hull = tf.add(tf.mul(cw, ch), eps);
      return tf.sub(iou, tf.div(tf.sub(hull, union), hull));
    }
    const diagonal = tf.add(tf.add(tf.square(cw), tf.square(ch)), eps);
    const centreDistance = tf.div(
      tf.add(tf.square(tf.sub(tf.add(b2x1, b2x2), tf.add(b1x1, b1x2))), tf.square(tf.sub(tf.add(b2y1, b2y2), tf.add(b1y1, b1y2)))),
      4,
    );
    const diou = tf.sub(iou, tf.div(centreDistance, diagonal));
    if (kind === 'diou') return diou;
    const v = tf.mul(4 / Math.PI ** 2, tf.square(tf.sub(tf.atan(tf.div(w2, h2)), tf.atan(tf.div(w1, h1)))));
    const alpha = stopGradient(tf.div(v, tf.add(tf.add(tf.sub(v, iou), 1), eps)));
    return tf.sub(diou, tf.mul(v, alpha));
  });
}

/** xywh (centre, size) -> xyxy (corners) on the last axis. */
export function xywhToXyxy(boxes: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.concat(corners(boxes, 'xywh'), -1));
}

/** xyxy -> xywh on the last axis. */
export function xyxyToXywh(boxes: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.split(boxes, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.concat([tf.div(tf.add(x1, x2), 2), tf.div(tf.add(y1, y2), 2), tf.sub(x2, x1), tf.sub(y2, y1)], -1);
  });
}
