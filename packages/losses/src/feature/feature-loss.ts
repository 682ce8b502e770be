import * as tf from '@tensorflow/tfjs-core';
import type { DistillBinding, DistillLoss, ImageBatch, ModelOutput, Scalar, StepInfo, TapPair, Tensor4D, Variable } from '@yolo-distill/core';
import { stopGradient } from '@yolo-distill/yolo';
import { z } from 'zod';
import { linearWarmup } from '../schedules/schedules.js';
import { baseWeight, relativeWeight, scheduleFactor, termWeightKeys, type TermWeightConfig } from '../weights/term-weight.js';

/** Keys every feature loss accepts: the tap pair, the weight (fixed or relative, decay, until), gamma and the connector policy. */
export const featureLossKeys = {
  student: z.string().min(1),
  teacher: z.string().min(1),
  ...termWeightKeys,
  /** Gradient amplification: the loss (hence its gradients) is multiplied by `gamma` (the seed document uses 2.0). */
  gamma: z.number().positive().default(1),
  /**
   * `auto`: a trainable 1x1 conv maps student channels to teacher channels when they differ; `conv`:
   * always one; `projector`: always two 1x1 convs with SiLU between (a two-layer projector); `none`.
   */
  connector: z.enum(['auto', 'none', 'conv', 'projector']).default('auto'),
  /** First epoch (0-based) the loss is active: taps switched on deepest-first give progressive activation. */
  from: z.int().min(0).default(0),
  /** Epochs of linear weight ramp after `from` (0: full weight at once). */
  warmup: z.int().min(0).default(0),
  /**
   * Steps at the start of the stage during which only the connector (and the loss's own weights)
   * learn: the student map is detached, as in FitNets' hint stage, so that a fresh connector's random
   * projection sends no random direction into an already trained student.
   */
  connectorWarmup: z.int().min(0).default(0),
} as const;

export interface FeatureLossConfig extends TermWeightConfig {
  readonly student: string;
  readonly teacher: string;
  readonly gamma: number;
  readonly connector: 'auto' | 'none' | 'conv' | 'projector';
  readonly from: number;
  readonly warmup: number;
  readonly connectorWarmup: number;
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
  readonly relativeWeight: number | undefined;
  private connector: Variable[] = [];
  private binding: DistillBinding | undefined;

  constructor(
    readonly name: string,
    protected readonly config: FeatureLossConfig,
  ) {
    this.taps = [{ student: config.student, teacher: config.teacher }];
    this.relativeWeight = relativeWeight(config);
  }

  /**
   * The unweighted loss of one aligned pair (same NHWC shape; the teacher is already detached).
   * `outputs` gives the whole recorded outputs (a score-weighted loss reads the teacher's head).
   */
  protected abstract pairLoss(student: Tensor4D, teacher: Tensor4D, outputs: PairOutputs): Scalar;

  /** Variables the subclass owns besides the connector, created at first compute when `channels` is known. */
  protected prepare(_channels: number): void {}

  protected ownVariables(): readonly Variable[] {
    return [];
  }

  bind(binding: DistillBinding): void {
    this.binding = binding;
  }

  /** The heads bound by the trainer (score-weighted losses need the teacher's). */
  protected heads(): DistillBinding {
    if (!this.binding) throw new Error(`${this.name}: no head description was bound (the trainer binds the heads before the first step)`);
    return this.binding;
  }

  trainableVariables(): readonly Variable[] {
    return [...this.connector, ...this.ownVariables()];
  }

  /**
   * The weight at `step`: 0 before `from`, then a linear ramp over `warmup` epochs to `weight * gamma`,
   * times the decay and `until` factor. While the trainer calibrates: `weight * gamma`.
   */
  scaleAt(step: StepInfo): number {
    const { from, warmup, gamma } = this.config;
    const base = baseWeight(this.config) * gamma;
    if (step.calibrating) return base;
    if (step.epoch < from) return 0;
    const ramp = warmup > 0 ? linearWarmup({ epochs: warmup })({ ...step, epoch: step.epoch - from }) : 1;
    return base * ramp * scheduleFactor(this.config, step);
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
    this.createConnector(cs, ct);
    this.prepare(ct);
    // Checked and connected even while inactive, so that its variables exist from the first step on.
    const scale = this.scaleAt(step);
    if (scale === 0) return tf.scalar(0);
    return tf.tidy(() => {
      const aligning = !step.calibrating && step.step < this.config.connectorWarmup;
      const raw = this.pairLoss(this.connect(aligning ? stopGradient(s) : s), stopGradient(t), { student, teacher });
      return tf.mul(raw, scale) as Scalar;
    });
  }

  private createConnector(cs: number, ct: number): void {
    if (this.connector.length > 0) return;
    const kind = this.config.connector;
    if (kind === 'conv' || (kind === 'auto' && cs !== ct)) this.connector = [conv1x1Kernel(`${this.name}/connector`, cs, ct)];
    if (kind === 'projector') this.connector = [conv1x1Kernel(`${this.name}/projector.0`, cs, ct), conv1x1Kernel(`${this.name}/projector.1`, ct, ct)];
  }

  /** The student map through the connector: none, one 1x1 conv, or conv - SiLU - conv. */
  private connect(s: Tensor4D): Tensor4D {
    const [first, second] = this.connector as unknown as [tf.Tensor4D?, tf.Tensor4D?];
    if (!first) return s;
    const once = tf.conv2d(s, first, 1, 'valid');
    if (!second) return once;
    const hidden = tf.mul(once, tf.sigmoid(once)) as Tensor4D;
    return tf.conv2d(hidden, second, 1, 'valid');
  }

  private feature(output: ModelOutput, tap: string, who: string): Tensor4D {
    const map = output.features[tap];
    if (!map) throw new Error(`${this.name}: ${who} tap '${tap}' was not recorded (have: ${Object.keys(output.features).join(', ') || 'none'})`);
    if (map.rank !== 4) throw new Error(`${this.name}: ${who} tap '${tap}' is rank ${map.rank}, expected an NHWC map`);
    return map;
  }
}

/** The whole recorded outputs of both models, for losses that weigh a feature pair by the head. */
export interface PairOutputs {
  readonly student: ModelOutput;
  readonly teacher: ModelOutput;
}

/**
 * Batch standardisation per channel over (N, H, W): BatchNorm without affine parameters in training
 * mode (biased variance, eps 1e-5), as DAMO-YOLO and MMRazor apply to both sides before CWD.
 */
export function standardize(x: Tensor4D, eps = 1e-5): Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))) as Tensor4D;
  });
}
