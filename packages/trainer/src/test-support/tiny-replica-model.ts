import * as tf from '@tensorflow/tfjs-core';
import type {
  CheckpointPayload,
  DetectionModel,
  ForwardOptions,
  HeadDescription,
  ImageBatch,
  LossTerms,
  ModelOutput,
  NamedTensors,
  Scalar,
  Stage,
  Tensor,
  Tensor4D,
  Variable,
} from '@yolo-distill/core';
import type { LossReduction } from '../parallel/loss-reduction.js';
import type { ReplicableStage } from '../parallel/replica-server.js';
import type { PreparedStep, TrainingTask } from '../loop/training-task.js';

/**
 * A detector small enough for thread tests: one 3x3 conv (kernel, bias) and a BN-like running mean of
 * its output channels, updated by training passes. Its native loss is batch-scaled (a sum over images
 * of each image's mean squared distance to a target set by its label count), as YOLO losses are.
 */
export class TinyModel implements DetectionModel {
  readonly name = 'tiny';
  readonly headKind = 'anchor-free' as const;
  readonly numClasses = 2;
  readonly strides = [1];
  readonly taps: readonly string[] = [];
  readonly headDescription: HeadDescription = { kind: 'anchor-free', numClasses: 2, strides: [1], regMax: 1 };
  private readonly kernel: Variable;
  private readonly bias: Variable;
  private readonly runningMean: Variable;

  constructor(seed: number, channels = 4) {
    this.kernel = tf.variable(tf.randomNormal([3, 3, 3, channels], 0, 0.3, 'float32', seed), true);
    this.bias = tf.variable(tf.randomNormal([channels], 0, 0.1, 'float32', seed + 1), true);
    this.runningMean = tf.variable(tf.zeros([channels]), false);
  }

  forward(images: Tensor4D, options: ForwardOptions): ModelOutput {
    const map = tf.tidy(() => tf.add(tf.conv2d(images, this.kernel as tf.Tensor4D, 1, 'same'), this.bias) as Tensor4D);
    if (options.training) {
      const batchMean = tf.tidy(() => tf.mean(map, [0, 1, 2]));
      tf.tidy(() => this.runningMean.assign(tf.add(tf.mul(this.runningMean, 0.9), tf.mul(batchMean, 0.1))));
      batchMean.dispose();
    }
    return { head: [map], features: {} };
  }

  loss(output: ModelOutput, batch: ImageBatch): LossTerms {
    const map = output.head[0] as Tensor4D;
    const n = batch.shape[0];
    const counts = new Float32Array(n);
    for (let t = 0; t < batch.targetCount; t++) counts[batch.targets[t * 6] as number] = (counts[batch.targets[t * 6] as number] as number) + 1;
    const perImage = tf.mean(tf.square(tf.sub(map, tf.reshape(tf.tensor1d(counts), [n, 1, 1, 1]))), [1, 2, 3]);
    const total = tf.sum(perImage) as Scalar;
    return { total, terms: { mse: tf.mean(perImage) as Scalar } };
  }

  decode(): Tensor {
    throw new Error('TinyModel: no decode');
  }

  trainableVariables(): readonly Variable[] {
    return [this.kernel, this.bias];
  }

  getWeights(): NamedTensors {
    return { kernel: this.kernel, bias: this.bias, runningMean: this.runningMean };
  }

  setWeights(weights: NamedTensors): void {
    const own: Record<string, Variable> = { kernel: this.kernel, bias: this.bias, runningMean: this.runningMean };
    for (const [name, tensor] of Object.entries(weights)) (own[name] as Variable).assign(tensor);
  }

  async saveState(): Promise<CheckpointPayload> {
    return { meta: {}, tensors: {} };
  }

  async loadState(): Promise<void> {}

  dispose(): void {
    tf.dispose([this.kernel, this.bias, this.runningMean]);
  }
}

/** The native loss (batch-scaled) plus a batch-mean term, so that both reductions are exercised. */
export class TinyTask implements TrainingTask {
  private student: DetectionModel | undefined;

  constructor(student?: DetectionModel) {
    this.student = student;
  }

  async initialize(context: { models: { student?: DetectionModel } }): Promise<void> {
    this.student = context.models.student;
  }

  extraVariables(): readonly Variable[] {
    return [];
  }

  async prepare(images: Tensor4D, batch: ImageBatch): Promise<PreparedStep> {
    const student = this.student as DetectionModel;
    return {
      compute: () => {
        const output = student.forward(images, { training: true });
        const native = student.loss(output, batch);
        const activity = tf.mul(tf.mean(tf.abs(output.head[0] as Tensor)), 0.5) as Scalar;
        return { total: tf.add(native.total, activity) as Scalar, components: { native: native.total, activity }, details: { 'native.mse': native.terms['mse'] as Scalar } };
      },
      release: () => {},
    };
  }

  dispose(): void {}
}

export const TINY_REDUCTION: LossReduction = { component: (name) => (name === 'native' ? 'sum' : 'mean') };

/** The stage a tiny replica builds. */
export function tinyStage(): ReplicableStage & Stage {
  return { name: 'tiny', run: () => Promise.resolve(), makeTask: () => new TinyTask(), lossReduction: TINY_REDUCTION };
}
