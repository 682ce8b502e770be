import * as tf from '@tensorflow/tfjs-core';
import type { DistillLoss, ImageBatch, ModelOutput, Scalar, StepInfo, TapPair, Tensor4D, Variable } from '@yolo-distill/core';
import { stopGradient } from '@yolo-distill/yolo';
import { z } from 'zod';
import { linearWarmup } from '../schedules/schedules.js';

/** Keys every feature loss accepts: the tap pair, the weight, gamma and the connector policy. */
export const featureLossKeys = {
  student: z.string().min(1),
  teacher: z.string().min(1),
  weight: z.number().nonnegative().default(1),
  /** Gradient amplification: the loss (hence its gradients) is multiplied by `gamma` (the seed document uses 2.0). */
  gamma: z.number().positive().default(1),
  /** `auto`: a trainable 1x1 conv maps student channels to teacher channels when they differ. */
  connector: z.enum(['auto', 'none']).default('auto'),
  /** First epoch (0-based) the loss is active: taps switched on deepest-first give progressive activation. */
  from: z.int().min(0).default(0),
  /** Epochs of linear weight ramp after `from` (0: full weight at once). */
  warmup: z.int().min(0).default(0),
} as const;

export interface FeatureLossConfig {
  readonly student: string;
  readonly teacher: string;
  readonly weight: number;
  readonly gamma: number;
  readonly connector: 'auto' | 'none';
  readonly from: number;
  readonly warmup: number;
}

let nextSeed = 1;

/** A trainable [1,1,cin,cout] kernel, He-normal scaled, seeded so runs repeat. */
export function conv1x1Kernel(name: string, cin: number, cout: number): Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal([1, 1, cin, cout], 0, Math.sqrt(2 / cin), 'float32', nextSeed++), true, `${name}/${nextSeed}`));
}

/**
 * The shared shell of a feature loss: looks up both taps, detaches the teacher, maps student
 * channels through a lazily created 1x1 connector when needed, and returns
 * `weight * gamma * pairLoss(student, teacher)` inside one `tf.tidy` (0 before epoch `from`, ramped
 * over `warmup` epochs after it).
 */
export abstract class FeatureLoss implements DistillLoss {
  readonly taps: readonly TapPair[];
  private connector: Variable | undefined;

  constructor(
    readonly name: string,
    protected readonly config: FeatureLossConfig,
  ) {
    this.taps = [{ student: config.student, teacher: config.teacher }];
  }

  /** The unweighted loss of one aligned pair (same NHWC shape; the teacher is already detached). */
  protected abstract pairLoss(student: Tensor4D, teacher: Tensor4D): Scalar;

  /** Variables the subclass owns besides the connector, created at first compute when `channels` is known. */
  protected prepare(_channels: number): void {}

  protected ownVariables(): readonly Variable[] {
    return [];
  }

  trainableVariables(): readonly Variable[] {
    return [...(this.connector ? [this.connector] : []), ...this.ownVariables()];
  }

  /** The weight at `step`: 0 before `from`, then a linear ramp over `warmup` epochs to `weight * gamma`. */
  scaleAt(step: StepInfo): number {
    const { from, warmup, weight, gamma } = this.config;
    if (step.epoch < from) return 0;
    const ramp = warmup > 0 ? linearWarmup({ epochs: warmup })({ ...step, epoch: step.epoch - from }) : 1;
    return weight * gamma * ramp;
  }

  compute(student: ModelOutput, teacher: ModelOutput, _batch: ImageBatch, step: StepInfo): Scalar {
    const s = this.feature(student, this.config.student, 'student');
    const t = this.feature(teacher, this.config.teacher, 'teacher');
    const [n, h, w, cs] = s.shape;
    const [tn, th, tw, ct] = t.shape;
    if (n !== tn || h !== th || w !== tw) {
      throw new Error(`${this.name}: student tap '${this.config.student}' is [${s.shape.join(',')}] but teacher tap '${this.config.teacher}' is [${t.shape.join(',')}]; batch and spatial sizes must match`);
    }
    if (cs !== ct && this.config.connector === 'none') {
      throw new Error(`${this.name}: student tap '${this.config.student}' has ${cs} channels but teacher tap '${this.config.teacher}' has ${ct}; set 'connector: auto' or pick taps with equal channels`);
    }
    if (cs !== ct && !this.connector) this.connector = conv1x1Kernel(`${this.name}/connector`, cs, ct);
    this.prepare(ct);
    const connector = cs !== ct ? this.connector : undefined;
    // Checked and connected even while inactive, so that its variables exist from the first step on.
    const scale = this.scaleAt(step);
    if (scale === 0) return tf.scalar(0);
    return tf.tidy(() => {
      const mapped = connector ? tf.conv2d(s, connector as tf.Tensor4D, 1, 'valid') : s;
      const raw = this.pairLoss(mapped, stopGradient(t));
      return tf.mul(raw, scale) as Scalar;
    });
  }

  private feature(output: ModelOutput, tap: string, who: string): Tensor4D {
    const map = output.features[tap];
    if (!map) throw new Error(`${this.name}: ${who} tap '${tap}' was not recorded (have: ${Object.keys(output.features).join(', ') || 'none'})`);
    if (map.rank !== 4) throw new Error(`${this.name}: ${who} tap '${tap}' is rank ${map.rank}, expected an NHWC map`);
    return map;
  }
}
