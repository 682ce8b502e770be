/**
 * yolov7's training loss, `utils/loss.py` `ComputeLossOTA`: candidates by `find_3_positive` (yolov5's
 * matching: anchor_t, the cell and two neighbours), then per image the SimOTA-style dynamic-k assignment on
 * the predictions themselves (`simOtaAssign`), then yolov5's terms on the kept matches: CIoU box loss, BCE
 * objectness against the detached IoU with the per-level balance, BCE classes; gains; total times the batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  buildTargets,
  computeMatchedLoss,
  levelGrids,
  predictionRows,
  resolveYoloV5LossConfig,
  type SoftClassTargets,
  type YoloTargets,
  type YoloV5LossConfig,
  type YoloV5LossHyperparameters,
  type YoloV5LossOptions,
  type YoloV5LossOutput,
} from '@yolo-distill/yolo';
import { simOtaAssign } from './sim-ota-assign.js';

/** `data/hyp.scratch.p5.yaml` (YOLOv7): box 0.05, obj 0.7, cls 0.3, anchor_t 4, no focal loss, no smoothing. */
export const YOLOV7_HYP: YoloV5LossHyperparameters = { box: 0.05, obj: 0.7, cls: 0.3, anchorT: 4.0, clsPw: 1.0, objPw: 1.0, flGamma: 0, labelSmoothing: 0 };
/** `data/hyp.scratch.tiny.yaml` (YOLOv7-tiny): box 0.05, obj 1.0, cls 0.5, anchor_t 4. */
export const YOLOV7_TINY_HYP: YoloV5LossHyperparameters = { box: 0.05, obj: 1.0, cls: 0.5, anchorT: 4.0, clsPw: 1.0, objPw: 1.0, flGamma: 0, labelSmoothing: 0 };

export interface YoloV7Loss {
  readonly config: YoloV5LossConfig;
  compute(levels: readonly tf.Tensor4D[], targets: YoloTargets, soft?: SoftClassTargets): YoloV5LossOutput;
}

/** ComputeLossOTA on raw IDetect outputs (NHWC [B, H, W, na*(5+nc)]); images are `imageHeight` x `imageWidth`. */
export function computeYoloV7Loss(levels: readonly tf.Tensor4D[], targets: YoloTargets, config: YoloV5LossConfig, imageWidth: number, soft: SoftClassTargets = {}): YoloV5LossOutput {
  const grids = levelGrids(levels, config);
  const numAnchors = config.anchors[0]?.length ?? 0;
  const candidates = buildTargets(targets, grids, { numClasses: config.numClasses, anchors: config.anchors, anchorT: config.hyp.anchorT });
  // The assignment reads the predictions but is no part of the gradient (upstream builds an index matrix).
  const predictions = candidates.map((level, i) => {
    if (level.count === 0) return new Float32Array(0);
    const rows = tf.tidy(() => tf.gather(tf.reshape(levels[i] as tf.Tensor4D, [-1, 5 + config.numClasses]), tf.tensor1d(predictionRows(level, grids[i]!, numAnchors), 'int32')));
    const values = rows.dataSync() as Float32Array;
    rows.dispose();
    return values;
  });
  const matches = simOtaAssign({
    candidates,
    predictions,
    grids,
    strides: config.strides,
    targets,
    numClasses: config.numClasses,
    imageHeight: config.imageSize,
    imageWidth,
  });
  return computeMatchedLoss(levels, grids, matches, config, soft);
}

/** Resolves `options` once (yolov7's hyp defaults when `hyp` leaves them out, train.py's gain scaling). */
export function createYoloV7Loss(options: YoloV5LossOptions & { readonly defaults?: YoloV5LossHyperparameters; readonly imageWidth?: number }): YoloV7Loss {
  const { defaults = YOLOV7_HYP, imageWidth = options.imageSize, ...rest } = options;
  const config = resolveYoloV5LossConfig({ ...rest, hyp: { ...defaults, ...options.hyp } });
  return { config, compute: (levels, targets, soft) => computeYoloV7Loss(levels, targets, config, imageWidth, soft) };
}
