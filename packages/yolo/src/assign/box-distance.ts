import * as tf from '@tensorflow/tfjs-core';

/**
 * Distances (l, t, r, b) from anchor points to box sides -> boxes, on the last axis (Ultralytics'
 * `dist2bbox`). `distance` [..., 4] and `anchorPoints` [..., 2] broadcast; the result is xyxy
 * (corners) or xywh (centre, size), in the units of the inputs.
 */
export function dist2bbox(distance: tf.Tensor, anchorPoints: tf.Tensor, format: 'xyxy' | 'xywh' = 'xyxy'): tf.Tensor {
  return tf.tidy(() => {
    const [lt, rb] = tf.split(distance, 2, -1) as [tf.Tensor, tf.Tensor];
    const x1y1 = tf.sub(anchorPoints, lt);
    const x2y2 = tf.add(anchorPoints, rb);
    if (format === 'xyxy') return tf.concat([x1y1, x2y2], -1);
    return tf.concat([tf.div(tf.add(x1y1, x2y2), 2), tf.sub(x2y2, x1y1)], -1);
  });
}

/**
 * xyxy boxes -> distances (l, t, r, b) from the anchor points, clamped to [0, maxDistance - 0.01]
 * (Ultralytics' `bbox2dist`; the v8 loss passes `regMax - 1`, so targets stay below the last bin).
 */
export function bbox2dist(anchorPoints: tf.Tensor, boxes: tf.Tensor, maxDistance: number): tf.Tensor {
  return tf.tidy(() => {
    const [x1y1, x2y2] = tf.split(boxes, 2, -1) as [tf.Tensor, tf.Tensor];
    return tf.clipByValue(tf.concat([tf.sub(anchorPoints, x1y1), tf.sub(x2y2, anchorPoints)], -1), 0, maxDistance - 0.01);
  });
}
