import * as tf from '@tensorflow/tfjs-core';
import { parseWith, type DistillLoss, type HeadDescription, type PluginDescriptor, type Scalar, type Tensor4D } from '@yolo-distill/core';
import { headKind, stopGradient } from '@yolo-distill/yolo';
import { z } from 'zod';
import { FeatureLoss, featureLossKeys, type FeatureLossConfig, type PairOutputs } from './feature-loss.js';

export const scoreWeightedL2Schema = z.strictObject({
  ...featureLossKeys,
  connector: featureLossKeys.connector.removeDefault().default('projector'),
  /** The head level whose teacher scores weigh the map; default: k of a `neck.k` tap. */
  level: z.int().min(0).optional(),
});
export interface ScoreWeightedL2Config extends FeatureLossConfig {
  readonly level?: number | undefined;
}

const EPS = 1e-9;

/** The teacher's confidence per cell [N, H, W] as its head kind reads it: max over anchors of objectness x best class (anchor-based) or the best class score. */
export function teacherScoreMap(head: tf.Tensor, description: HeadDescription): tf.Tensor {
  return tf.tidy(() => headKind(description.kind).cellConfidence(stopGradient(head), description.numClasses));
}

/**
 * Neck-feature L2 weighted by the teacher's class confidence (the distillation users add to
 * Ultralytics): the student map through a two-layer 1x1 projector, squared error averaged over
 * channels, then sum(score * error) / sum(score) over cells, so background cells carry little weight.
 */
export class ScoreWeightedL2Loss extends FeatureLoss {
  private readonly level: number;

  constructor(config: ScoreWeightedL2Config) {
    super('losses.ScoreWeightedL2', config);
    const fromTap = /^neck\.(\d+)$/.exec(config.teacher)?.[1];
    const level = config.level ?? (fromTap === undefined ? undefined : Number(fromTap));
    if (level === undefined) throw new Error(`${this.name}: set 'level' (the head level of tap '${config.teacher}'); it is implied only for neck.k taps`);
    this.level = level;
  }

  protected pairLoss(student: Tensor4D, teacher: Tensor4D, outputs: PairOutputs): Scalar {
    const heads = this.heads();
    const head = outputs.teacher.head[this.level];
    if (!head) throw new Error(`${this.name}: the teacher has no head level ${this.level}`);
    if (head.shape[1] !== teacher.shape[1] || head.shape[2] !== teacher.shape[2]) {
      throw new Error(`${this.name}: head level ${this.level} is ${head.shape[1]}x${head.shape[2]}, tap '${this.config.teacher}' ${teacher.shape[1]}x${teacher.shape[2]}`);
    }
    const score = teacherScoreMap(head, heads.teacher ?? heads.student);
    const error = tf.mean(tf.squaredDifference(student, teacher), -1);
    return tf.div(tf.sum(tf.mul(score, error)), tf.maximum(tf.sum(score), EPS));
  }
}

export const scoreWeightedL2: PluginDescriptor<ScoreWeightedL2Config, DistillLoss> = {
  type: 'losses.ScoreWeightedL2',
  kind: 'loss',
  summary: "neck-feature L2 weighted by the teacher's class confidence, through a two-layer 1x1 projector",
  schema: scoreWeightedL2Schema,
  parse: (raw, at) => parseWith(scoreWeightedL2Schema, raw, at),
  create: (config) => new ScoreWeightedL2Loss(config),
};
